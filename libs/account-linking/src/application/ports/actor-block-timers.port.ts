import type { SqlExecutor } from '@lib/platform/sql/sql-client';

export const ACTOR_BLOCK_TIMERS = Symbol('ACTOR_BLOCK_TIMERS');

export interface ClaimedActorBlockTimer {
  blockId: string;
  /** The actor's stream, where the block is. */
  stream: string;
  dueAt: Date;
  /** How many times a worker has claimed it, this claim included. */
  claims: number;
}

/**
 * The end of each actor block, durably: scheduled by the actor-defences process manager in the transaction of
 * its checkpoint, fired by a poller that claims it, so that every block's end is recorded as an event.
 */
export interface ActorBlockTimers {
  /** One timer per block: scheduling it again (a replayed event) changes nothing. */
  schedule(tx: SqlExecutor, blockId: string, stream: string, dueAt: Date): Promise<void>;
  /** A lifted block's timer will not fire. */
  cancel(tx: SqlExecutor, blockId: string, at: Date): Promise<void>;
  claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedActorBlockTimer[]>;
  markFired(timer: ClaimedActorBlockTimer, at: Date, outcome: string): Promise<void>;
  release(timer: ClaimedActorBlockTimer, retryAt: Date): Promise<void>;
}
