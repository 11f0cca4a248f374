import type { SqlExecutor } from '@lib/platform/sql/sql-client';

export const LINK_TIMERS = Symbol('LINK_TIMERS');

/**
 * `expire`: the request's time to live ends; `activate`: the cooling-off period ends; `dormant`: an active link
 * has gone unused for the dormancy period (R13; a debit since postpones it when it fires).
 */
export type LinkTimerKind = 'expire' | 'activate' | 'dormant';

export interface ClaimedLinkTimer {
  linkId: string;
  kind: LinkTimerKind;
  dueAt: Date;
  /** How many times a worker has claimed it, this claim included. */
  claims: number;
}

export type LinkTimerChange =
  | { type: 'schedule'; linkId: string; kind: LinkTimerKind; dueAt: Date }
  | { type: 'cancel'; linkId: string; kinds: readonly LinkTimerKind[]; at: Date };

/**
 * Durable deadlines of links: written by the deadlines process manager in the transaction of its checkpoint,
 * fired by pollers that claim them, so a restart loses none and two workers never fire one together.
 */
export interface LinkTimers {
  /** One timer per link and kind: scheduling it again (a replayed event) changes nothing. */
  schedule(tx: SqlExecutor, linkId: string, kind: LinkTimerKind, dueAt: Date): Promise<void>;
  /** Timers not yet fired will not fire. */
  cancel(tx: SqlExecutor, linkId: string, kinds: readonly LinkTimerKind[], at: Date): Promise<void>;
  /** Schedules and cancellations, as if made one after another in this order (a batch's in a few statements). */
  change(tx: SqlExecutor, changes: readonly LinkTimerChange[]): Promise<void>;
  /** Due timers no live claim holds, now held until `claimedUntil`. */
  claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedLinkTimer[]>;
  markFired(timer: ClaimedLinkTimer, at: Date, outcome: string): Promise<void>;
  /** Gives the timer back, to be claimed again from `retryAt`. */
  release(timer: ClaimedLinkTimer, retryAt: Date): Promise<void>;
}
