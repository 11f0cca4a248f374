import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ClaimedLinkTimer,
  LinkTimerChange,
  LinkTimerKind,
  LinkTimers,
} from '../../application/ports/link-timers.port';

export const linkTimersSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS link_timers (
  link_id       text        NOT NULL,
  kind          text        NOT NULL,
  due_at        timestamptz NOT NULL,
  fired_at      timestamptz,
  cancelled_at  timestamptz,
  claimed_until timestamptz,
  claims        integer     NOT NULL DEFAULT 0,
  outcome       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (link_id, kind)
);
CREATE INDEX IF NOT EXISTS link_timers_due ON link_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
ALTER TABLE link_timers DROP CONSTRAINT IF EXISTS link_timers_kind_check;
ALTER TABLE link_timers ADD CONSTRAINT link_timers_kind_check CHECK (kind IN ('expire', 'activate', 'dormant'));
`;

interface TimerRow {
  link_id: string;
  kind: LinkTimerKind;
  due_at: Date | string;
  claims: number;
}

/** `link_timers` on the service's database (PGlite or PostgreSQL): claimed with `UPDATE … RETURNING`. */
export class SqlLinkTimers implements LinkTimers {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    // Replicas starting together would race on CREATE TABLE IF NOT EXISTS without the lock.
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:link_timers'))`);
      for (const statement of linkTimersSchema.split(';').filter((s) => s.trim() !== '')) await tx.query(statement);
    });
  }

  schedule(tx: SqlExecutor, linkId: string, kind: LinkTimerKind, dueAt: Date): Promise<void> {
    return this.change(tx, [{ type: 'schedule', linkId, kind, dueAt }]);
  }

  cancel(tx: SqlExecutor, linkId: string, kinds: readonly LinkTimerKind[], at: Date): Promise<void> {
    return this.change(tx, [{ type: 'cancel', linkId, kinds, at }]);
  }

  /**
   * One after another, a timer's changes come down to: its first cancellation before its first scheduling (which
   * only a timer already there can take), that scheduling (later ones find it there), and its first cancellation
   * after it (later ones find it cancelled). Timers are independent, so each of these three goes for every timer
   * of the batch in one statement, in that order.
   */
  async change(tx: SqlExecutor, changes: readonly LinkTimerChange[]): Promise<void> {
    const timers = new Map<string, { cancelBefore?: Date; schedule?: Date; cancelAfter?: Date }>();
    for (const change of changes) {
      const kinds = change.type === 'schedule' ? [change.kind] : change.kinds;
      for (const kind of kinds) {
        const key = JSON.stringify([change.linkId, kind]);
        const timer = timers.get(key) ?? {};
        timers.set(key, timer);
        if (change.type === 'schedule') timer.schedule ??= change.dueAt;
        else if (timer.schedule === undefined) timer.cancelBefore ??= change.at;
        else timer.cancelAfter ??= change.at;
      }
    }
    const rowsOf = (pick: (timer: { cancelBefore?: Date; schedule?: Date; cancelAfter?: Date }) => Date | undefined) =>
      [...timers].flatMap(([key, timer]) => {
        const at = pick(timer);
        if (at === undefined) return [];
        const [link_id, kind] = JSON.parse(key) as [string, LinkTimerKind];
        return [{ link_id, kind, at: at.toISOString() }];
      });
    await this.cancelAll(
      tx,
      rowsOf((timer) => timer.cancelBefore),
    );
    const scheduled = rowsOf((timer) => timer.schedule);
    if (scheduled.length > 0) {
      await tx.query(
        `INSERT INTO link_timers (link_id, kind, due_at)
         SELECT link_id, kind, at FROM jsonb_to_recordset($1::jsonb) AS r(link_id text, kind text, at timestamptz)
         ON CONFLICT (link_id, kind) DO NOTHING`,
        [JSON.stringify(scheduled)],
      );
    }
    await this.cancelAll(
      tx,
      rowsOf((timer) => timer.cancelAfter),
    );
  }

  private async cancelAll(
    tx: SqlExecutor,
    rows: readonly { link_id: string; kind: string; at: string }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE link_timers AS t SET cancelled_at = r.at, claimed_until = NULL
         FROM jsonb_to_recordset($1::jsonb) AS r(link_id text, kind text, at timestamptz)
        WHERE t.link_id = ANY($2::text[]) AND t.link_id = r.link_id AND t.kind = r.kind
          AND t.fired_at IS NULL AND t.cancelled_at IS NULL`,
      [JSON.stringify(rows), [...new Set(rows.map((row) => row.link_id))]],
    );
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedLinkTimer[]> {
    const rows = await this.sql.query<TimerRow>(
      `UPDATE link_timers AS t SET claimed_until = $2, claims = t.claims + 1
        WHERE (t.link_id, t.kind) IN (
          SELECT link_id, kind FROM link_timers
           WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY due_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING t.link_id, t.kind, t.due_at, t.claims`,
      [now, claimedUntil, limit],
    );
    return rows
      .map((row) => ({ linkId: row.link_id, kind: row.kind, dueAt: new Date(row.due_at), claims: row.claims }))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async markFired(timer: ClaimedLinkTimer, at: Date, outcome: string): Promise<void> {
    await this.sql.query(
      `UPDATE link_timers SET fired_at = $3, outcome = $4, claimed_until = NULL
        WHERE link_id = $1 AND kind = $2 AND fired_at IS NULL`,
      [timer.linkId, timer.kind, at, outcome],
    );
  }

  async release(timer: ClaimedLinkTimer, retryAt: Date): Promise<void> {
    await this.sql.query(
      'UPDATE link_timers SET claimed_until = $3 WHERE link_id = $1 AND kind = $2 AND fired_at IS NULL',
      [timer.linkId, timer.kind, retryAt],
    );
  }
}
