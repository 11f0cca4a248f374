import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import { assertTableName } from '@lib/event-store/projections/rebuildable-projection';
import type { ClaimedKeyedTimer, KeyedTimers } from '../../application/ports/keyed-timers.port';

export type { ClaimedKeyedTimer };

/** Where a kind of timer lives: its table and the names its two text columns have there. */
export interface KeyedTimerTable {
  table: string;
  keyColumn: string;
  subjectColumn: string;
}

/**
 * One timer per key on the service's database (PGlite or PostgreSQL): scheduled in a process manager's
 * checkpoint transaction, claimed by pollers (`FOR UPDATE SKIP LOCKED`, with a claim that runs out so a crashed
 * worker's timers are claimed again), fired once, or cancelled before.
 */
export class SqlKeyedTimers implements KeyedTimers {
  private readonly table: string;
  private readonly key: string;
  private readonly subject: string;

  constructor(
    private readonly sql: SqlClient,
    { table, keyColumn, subjectColumn }: KeyedTimerTable,
  ) {
    this.table = assertTableName(table);
    this.key = assertTableName(keyColumn);
    this.subject = assertTableName(subjectColumn);
  }

  async ensureSchema(): Promise<void> {
    const { table, key, subject } = this;
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:${table}'))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        ${key}        text        PRIMARY KEY,
        ${subject}    text        NOT NULL,
        due_at        timestamptz NOT NULL,
        fired_at      timestamptz,
        cancelled_at  timestamptz,
        claimed_until timestamptz,
        claims        integer     NOT NULL DEFAULT 0,
        outcome       text
      )`);
      await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_due ON ${table} (due_at)
        WHERE fired_at IS NULL AND cancelled_at IS NULL`);
    });
  }

  /** Scheduling a key again (a replayed event) changes nothing. */
  async schedule(tx: SqlExecutor, key: string, subject: string, dueAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (${this.key}, ${this.subject}, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (${this.key}) DO NOTHING`,
      [key, subject, dueAt],
    );
  }

  async cancel(tx: SqlExecutor, key: string, at: Date): Promise<void> {
    await tx.query(
      `UPDATE ${this.table} SET cancelled_at = $2, claimed_until = NULL
        WHERE ${this.key} = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
      [key, at],
    );
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedKeyedTimer[]> {
    const { table, key, subject } = this;
    const rows = await this.sql.query<{ key: string; subject: string; due_at: Date | string; claims: number }>(
      `UPDATE ${table} AS t SET claimed_until = $2, claims = t.claims + 1
        WHERE t.${key} IN (
          SELECT ${key} FROM ${table}
           WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY due_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING t.${key} AS key, t.${subject} AS subject, t.due_at, t.claims`,
      [now, claimedUntil, limit],
    );
    return rows
      .map((row) => ({ key: row.key, subject: row.subject, dueAt: new Date(row.due_at), claims: row.claims }))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async markFired(key: string, at: Date, outcome: string): Promise<void> {
    await this.sql.query(
      `UPDATE ${this.table} SET fired_at = $2, outcome = $3, claimed_until = NULL
        WHERE ${this.key} = $1 AND fired_at IS NULL`,
      [key, at, outcome],
    );
  }

  async release(key: string, retryAt: Date): Promise<void> {
    await this.sql.query(`UPDATE ${this.table} SET claimed_until = $2 WHERE ${this.key} = $1 AND fired_at IS NULL`, [
      key,
      retryAt,
    ]);
  }
}
