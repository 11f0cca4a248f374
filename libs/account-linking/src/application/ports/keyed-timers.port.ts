import type { SqlExecutor } from '@lib/platform/sql/sql-client';

/** The end of each debit authorisation (key: the debit id, subject: its link id). */
export const DEBIT_EXPIRY_TIMERS = Symbol('DEBIT_EXPIRY_TIMERS');

/** The `respondBy` of each complaint case (key: the case id, subject: its link id). */
export const CASE_OVERDUE_TIMERS = Symbol('CASE_OVERDUE_TIMERS');

export interface ClaimedKeyedTimer {
  key: string;
  subject: string;
  dueAt: Date;
  /** How many times a worker has claimed it, this claim included. */
  claims: number;
}

/**
 * Durable timers, one per key: scheduled by a process manager in the transaction of its checkpoint, fired by a
 * poller that claims them, so that what is due is recorded as an event even across a crash.
 */
export interface KeyedTimers {
  /** Scheduling a key again (a replayed event) changes nothing. */
  schedule(tx: SqlExecutor, key: string, subject: string, dueAt: Date): Promise<void>;
  cancel(tx: SqlExecutor, key: string, at: Date): Promise<void>;
  claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedKeyedTimer[]>;
  markFired(key: string, at: Date, outcome: string): Promise<void>;
  release(key: string, retryAt: Date): Promise<void>;
}
