import { createHash } from 'node:crypto';

/** A log digest as the service shows it (and records it, as the data of `LogDigestRecorded`). */
export interface Digest {
  id: string;
  sequence: number;
  digest: string;
  previousDigestId: string | null;
  eventCount: number;
  upToCheckpoint: string;
  upToPosition: number;
  recordedAt: string;
  signature: string;
}

/** What the recomputation needs of a row of `es_events`, read with SQL (not with the service's code). */
export interface LogRow {
  stream_name: string;
  txid: string;
  position: string;
  hash: string | null;
}

/** The columns of `LogRow`, for a SELECT over `es_events` in read-all order. */
export const LOG_ROW_COLUMNS = `stream_name, transaction_id::text AS txid, global_position::text AS position,
  metadata->>'hash' AS hash`;

/**
 * README's formula, by hand over raw rows in read-all order: acc = hex(SHA-256(acc + "." + hash)) from 64 zeros,
 * `log-digests` left out, up to and including `upToCheckpoint`.
 */
export function recomputeDigest(rows: readonly LogRow[], upToCheckpoint: string) {
  const [txid, position] = upToCheckpoint.split(':').map(BigInt) as [bigint, bigint];
  let acc = '0'.repeat(64);
  let eventCount = 0;
  let upToPosition: number | undefined;
  for (const row of rows) {
    const [rowTxid, rowPosition] = [BigInt(row.txid), BigInt(row.position)];
    if (rowTxid > txid || (rowTxid === txid && rowPosition > position)) break;
    if (row.stream_name === 'log-digests') continue;
    acc = createHash('sha256')
      .update(`${acc}.${row.hash ?? ''}`, 'utf8')
      .digest('hex');
    eventCount += 1;
    upToPosition = Number(row.position);
  }
  return { digest: acc, eventCount, upToPosition };
}
