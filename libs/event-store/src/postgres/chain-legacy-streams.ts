import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import type { EventStore } from '../event-store.port';
import { eventHash, GENESIS_HASH } from '../hash-chain/event-hash';

/** Where each run of the migration is recorded, as an event like any other. */
export const HASH_CHAIN_MIGRATION_STREAM = 'evidence-hash-chain-migration';
export const LEGACY_HISTORY_CHAINED = 'LegacyHistoryChained';

export interface LegacyChainingProgress {
  streamsChained: number;
  eventsChained: number;
}

interface LegacyRow {
  revision_text: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * The one-off migration that chains the streams written before the hash chain (events without `hash`).
 * Resumable by construction: what is left to do is what the `es_events_unchained` index still holds, so an
 * interrupted run is simply started again. Each stream is chained in one transaction under the same advisory
 * lock as `es_append`, so no append interleaves; it only ever adds `previousHash`/`hash` to events that have
 * none, never rewrites a hash (that would launder an altered row). A run that chained anything is recorded as a
 * `LegacyHistoryChained` event.
 */
export async function chainLegacyStreams(
  sql: SqlClient,
  store: EventStore,
  options: { streamsPerBatch?: number; onProgress?: (progress: LegacyChainingProgress) => void } = {},
): Promise<LegacyChainingProgress> {
  const startedAt = new Date().toISOString();
  const progress: LegacyChainingProgress = { streamsChained: 0, eventsChained: 0 };
  for (;;) {
    const streams = await sql.query<{ stream_name: string }>(
      `SELECT DISTINCT stream_name FROM es_events WHERE NOT (metadata ? 'hash') LIMIT $1`,
      [options.streamsPerBatch ?? 100],
    );
    if (streams.length === 0) break;
    for (const { stream_name: stream } of streams) {
      progress.eventsChained += await chainOneStream(sql, stream);
      progress.streamsChained += 1;
      options.onProgress?.({ ...progress });
    }
  }
  if (progress.eventsChained > 0) {
    // `any`: a run is a fact on its own; were its answer lost and the record written twice, both say the same.
    await store.appendToStream(
      HASH_CHAIN_MIGRATION_STREAM,
      [
        {
          id: randomUUID(),
          type: LEGACY_HISTORY_CHAINED,
          data: { ...progress, startedAt, completedAt: new Date().toISOString() },
          metadata: {
            actor: { type: 'system', id: 'hash-chain-migration' },
            correlationId: randomUUID(),
            causationId: randomUUID(),
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
  }
  return progress;
}

async function chainOneStream(sql: SqlClient, stream: string): Promise<number> {
  return sql.withSession((session) =>
    session.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [stream]);
      const rows = await tx.query<LegacyRow>(
        `SELECT revision::text AS revision_text, event_type, data, metadata FROM es_events
          WHERE stream_name = $1 ORDER BY revision`,
        [stream],
      );
      let previous = GENESIS_HASH;
      let chained = 0;
      for (const row of rows) {
        const stored = row.metadata.hash;
        if (typeof stored === 'string') {
          // Appends chain only after a chained event, so a chained event is never followed by a legacy one.
          if (chained > 0) throw new Error(`Stream ${stream} has a chained event after a legacy one`);
          previous = stored;
          continue;
        }
        const metadata = { ...row.metadata, previousHash: previous };
        const hash = eventHash({ type: row.event_type, data: row.data, metadata });
        await tx.query(
          `UPDATE es_events SET metadata = metadata || jsonb_build_object('previousHash', $3::text, 'hash', $4::text)
            WHERE stream_name = $1 AND revision = $2`,
          [stream, row.revision_text, previous, hash],
        );
        previous = hash;
        chained += 1;
      }
      return chained;
    }),
  );
}
