import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { ActorBlockTimers, ClaimedActorBlockTimer } from '../../application/ports/actor-block-timers.port';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS actor_block_timers (
    block_id      text        PRIMARY KEY,
    stream_name   text        NOT NULL,
    due_at        timestamptz NOT NULL,
    fired_at      timestamptz,
    cancelled_at  timestamptz,
    claimed_until timestamptz,
    claims        integer     NOT NULL DEFAULT 0,
    outcome       text
  )`,
  `CREATE INDEX IF NOT EXISTS actor_block_timers_due ON actor_block_timers (due_at)
    WHERE fired_at IS NULL AND cancelled_at IS NULL`,
];

interface TimerRow {
  block_id: string;
  stream_name: string;
  due_at: Date | string;
  claims: number;
}

/** `actor_block_timers` on the service's database (PGlite or PostgreSQL), claimed as `link_timers` are. */
export class SqlActorBlockTimers implements ActorBlockTimers {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:actor_block_timers'))`);
      for (const statement of SCHEMA) await tx.query(statement);
    });
  }

  async schedule(tx: SqlExecutor, blockId: string, stream: string, dueAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO actor_block_timers (block_id, stream_name, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (block_id) DO NOTHING`,
      [blockId, stream, dueAt],
    );
  }

  async cancel(tx: SqlExecutor, blockId: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE actor_block_timers SET cancelled_at = $2, claimed_until = NULL
        WHERE block_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
      [blockId, at],
    );
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedActorBlockTimer[]> {
    const rows = await this.sql.query<TimerRow>(
      `UPDATE actor_block_timers AS t SET claimed_until = $2, claims = t.claims + 1
        WHERE t.block_id IN (
          SELECT block_id FROM actor_block_timers
           WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY due_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING t.block_id, t.stream_name, t.due_at, t.claims`,
      [now, claimedUntil, limit],
    );
    return rows
      .map((row) => ({
        blockId: row.block_id,
        stream: row.stream_name,
        dueAt: new Date(row.due_at),
        claims: row.claims,
      }))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async markFired(timer: ClaimedActorBlockTimer, at: Date, outcome: string): Promise<void> {
    await this.sql.query(
      `UPDATE actor_block_timers SET fired_at = $2, outcome = $3, claimed_until = NULL
        WHERE block_id = $1 AND fired_at IS NULL`,
      [timer.blockId, at, outcome],
    );
  }

  async release(timer: ClaimedActorBlockTimer, retryAt: Date): Promise<void> {
    await this.sql.query('UPDATE actor_block_timers SET claimed_until = $2 WHERE block_id = $1 AND fired_at IS NULL', [
      timer.blockId,
      retryAt,
    ]);
  }
}
