import type { SqlExecutor } from '@lib/platform/sql/sql-client';

export const LINK_NOTICE_OUTBOX = Symbol('LINK_NOTICE_OUTBOX');

/** What a link notice tells the customer of: a change in how an active link is used. */
export type LinkNoticeKind = 'device_rebound';

export interface QueuedLinkNotice {
  /** Stable for the event it tells of: a replayed event queues nothing new, a channel deduplicates a resend. */
  messageId: string;
  linkId: string;
  kind: LinkNoticeKind;
  /** When the change happened: the time the message states. */
  occurredAt: Date;
}

export interface ClaimedLinkNotice extends QueuedLinkNotice {
  /** 1-based. */
  attempt: number;
  claims: number;
  /** A channel accepted it before the worker could settle it: it is never sent again. */
  sent?: { channel: string; at: Date };
}

/**
 * Notices to the customer at the contact registered at the bank, after a link was made (R4, R13): one row per
 * notice, retried in place. The process manager enqueues in its checkpoint's transaction; dispatchers claim.
 */
export interface LinkNoticeOutbox {
  enqueue(tx: SqlExecutor, notice: QueuedLinkNotice, notBefore: Date): Promise<void>;
  claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedLinkNotice[]>;
  markSent(messageId: string, channel: string, at: Date): Promise<void>;
  settle(messageId: string, status: 'delivered' | 'failed', at: Date, detail: string): Promise<void>;
  /** The attempt failed; the next one waits until `notBefore`. */
  retryLater(messageId: string, at: Date, detail: string, notBefore: Date): Promise<void>;
}
