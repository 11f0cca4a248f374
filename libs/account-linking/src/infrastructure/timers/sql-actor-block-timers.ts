import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { ActorBlockTimers, ClaimedActorBlockTimer } from '../../application/ports/actor-block-timers.port';
import { type ClaimedKeyedTimer, SqlKeyedTimers } from './sql-keyed-timers';

const blockTimerOf = (timer: ClaimedKeyedTimer): ClaimedActorBlockTimer => ({
  blockId: timer.key,
  stream: timer.subject,
  dueAt: timer.dueAt,
  claims: timer.claims,
});

/** `actor_block_timers` (one per block, about the actor's stream), claimed as every keyed timer is. */
export class SqlActorBlockTimers implements ActorBlockTimers {
  private readonly timers: SqlKeyedTimers;

  constructor(sql: SqlClient) {
    this.timers = new SqlKeyedTimers(sql, {
      table: 'actor_block_timers',
      keyColumn: 'block_id',
      subjectColumn: 'stream_name',
    });
  }

  ensureSchema(): Promise<void> {
    return this.timers.ensureSchema();
  }

  schedule(tx: SqlExecutor, blockId: string, stream: string, dueAt: Date): Promise<void> {
    return this.timers.schedule(tx, blockId, stream, dueAt);
  }

  cancel(tx: SqlExecutor, blockId: string, at: Date): Promise<void> {
    return this.timers.cancel(tx, blockId, at);
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedActorBlockTimer[]> {
    return (await this.timers.claimDue(now, claimedUntil, limit)).map(blockTimerOf);
  }

  markFired(timer: ClaimedActorBlockTimer, at: Date, outcome: string): Promise<void> {
    return this.timers.markFired(timer.blockId, at, outcome);
  }

  release(timer: ClaimedActorBlockTimer, retryAt: Date): Promise<void> {
    return this.timers.release(timer.blockId, retryAt);
  }
}
