import { createHash } from 'node:crypto';

/** One stream per debit, one stream of running totals per link (ARCHITECTURE.md "Streams"). */
export const DEBIT_STREAM_PREFIX = 'debit-';
export const SPENDING_STREAM_PREFIX = 'spending-';

export const debitStream = (debitId: string) => `${DEBIT_STREAM_PREFIX}${debitId}`;
export const spendingStream = (linkId: string) => `${SPENDING_STREAM_PREFIX}${linkId}`;

/** What a debit id looks like at the edge (`dbt_…`); anything else is no debit of ours. */
export const DEBIT_ID_PATTERN = /^dbt_[A-Za-z0-9_-]{1,64}$/;

/**
 * The id of the first event of a debit's stream, from the debit id alone: the request and the process manager
 * that makes sure the stream exists write the same event, so the store's idempotent append keeps one.
 */
export function debitRecordEventId(debitId: string): string {
  const hex = createHash('sha256').update(`debit-record\u0000${debitId}`).digest('hex');
  // RFC 9562 version 8 (custom) UUID, variant 10.
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
