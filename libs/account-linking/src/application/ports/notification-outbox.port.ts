import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { SealedPersonalData } from '../../domain/sealed-personal-data';

export const NOTIFICATION_OUTBOX = Symbol('NOTIFICATION_OUTBOX');

export interface QueuedNotification {
  messageId: string;
  linkId: string;
  /** 1-based attempt of this link's notification. */
  attempt: number;
  /** The contact the bank reported, still sealed; absent when the bank reported none. */
  sealedContact?: SealedPersonalData;
  /** When the link was made (the notification request): the time the message states. */
  requestedAt: Date;
}

export interface ClaimedNotification extends QueuedNotification {
  /** A channel accepted it before the worker could record that: it must not be sent again, only recorded. */
  sent?: { channel: string; at: Date };
  claims: number;
}

export type SettledStatus = 'delivered' | 'failed' | 'cancelled';

/** What a batch of link events does to the outbox, in the events' order. */
export type NotificationOutboxChange =
  | { kind: 'enqueue'; notification: QueuedNotification; notBefore: Date }
  | { kind: 'cancel'; linkId: string; at: Date; why: string };

/**
 * Customer notifications still to deliver, one row per attempt. The process manager enqueues in the
 * transaction of its checkpoint; dispatchers claim rows, so a restart loses none and none is sent twice.
 */
export interface NotificationOutbox {
  /** An attempt already queued (a replayed event) is left as it is. */
  enqueue(tx: SqlExecutor, notification: QueuedNotification, notBefore: Date): Promise<void>;
  /** Attempts still waiting for a link that needs no more notifying are dropped. */
  cancelPending(tx: SqlExecutor, linkId: string, at: Date, why: string): Promise<void>;
  /** The changes as made one after another, in as few statements as their order allows. */
  change(tx: SqlExecutor, changes: readonly NotificationOutboxChange[]): Promise<void>;
  claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedNotification[]>;
  /** A channel accepted the message: from now on a retry records it and never sends it again. */
  markSent(messageId: string, channel: string, at: Date): Promise<void>;
  settle(messageId: string, status: SettledStatus, at: Date, detail: string): Promise<void>;
  /** In one transaction: this attempt failed, the next one waits until `notBefore`. */
  failAndRetry(messageId: string, at: Date, detail: string, next: QueuedNotification, notBefore: Date): Promise<void>;
  /** Gives the row back, to be claimed again from `retryAt`. */
  release(messageId: string, retryAt: Date): Promise<void>;
}
