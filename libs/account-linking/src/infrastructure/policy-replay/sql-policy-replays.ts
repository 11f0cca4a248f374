import type { SqlClient } from '@lib/platform/sql/sql-client';
import type { ExistingLinkStatus } from '../../application/ports/link-read-model.port';
import type {
  PolicyReplayClaim,
  PolicyReplayItem,
  PolicyReplayJob,
  PolicyReplayPosition,
  PolicyReplayProgress,
  PolicyReplays,
  PolicyReplayStatus,
} from '../../application/ports/policy-replays.port';
import type { ReplayPolicy } from '../../domain/policies/policy-replay';

export const policyReplaysSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS policy_replays (
  id            text        PRIMARY KEY,
  policy        jsonb       NOT NULL,
  statuses      jsonb       NOT NULL,
  status        text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  progress      jsonb       NOT NULL DEFAULT '{"linksChecked":0,"linksTotal":null}',
  items         jsonb       NOT NULL DEFAULT '[]',
  position      jsonb       NOT NULL DEFAULT '{"statusIndex":0,"cursor":null}',
  claimed_until timestamptz,
  claims        integer     NOT NULL DEFAULT 0,
  error         text,
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX IF NOT EXISTS policy_replays_unfinished ON policy_replays (created_at) WHERE status IN ('queued', 'running')
`;

interface ReplayRow {
  id: string;
  policy: ReplayPolicy | string;
  statuses: ExistingLinkStatus[] | string;
  status: PolicyReplayStatus;
  progress: PolicyReplayProgress | string;
  items: PolicyReplayItem[] | string;
  position: PolicyReplayPosition | string;
  claims: number;
  error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const jobOf = (row: ReplayRow): PolicyReplayJob => ({
  id: row.id,
  policy: json(row.policy),
  statuses: json(row.statuses),
  status: row.status,
  progress: json(row.progress),
  items: json(row.items),
  position: json(row.position),
  claims: row.claims,
  createdAt: new Date(row.created_at),
  finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  error: row.error,
});

/** `policy_replays` on the service's database (PGlite or PostgreSQL): claimed with `UPDATE … RETURNING`. */
export class SqlPolicyReplays implements PolicyReplays {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    // Replicas starting together would race on CREATE TABLE IF NOT EXISTS without the lock.
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:policy_replays'))`);
      for (const statement of policyReplaysSchema.split(';').filter((s) => s.trim() !== '')) await tx.query(statement);
    });
  }

  async create(job: { id: string; policy: ReplayPolicy; statuses: ExistingLinkStatus[]; createdAt: Date }) {
    await this.sql.query('INSERT INTO policy_replays (id, policy, statuses, created_at) VALUES ($1, $2, $3, $4)', [
      job.id,
      JSON.stringify(job.policy),
      JSON.stringify(job.statuses),
      job.createdAt,
    ]);
  }

  async find(id: string): Promise<PolicyReplayJob | undefined> {
    const [row] = await this.sql.query<ReplayRow>('SELECT * FROM policy_replays WHERE id = $1', [id]);
    return row ? jobOf(row) : undefined;
  }

  async claimNext(now: Date, claimedUntil: Date): Promise<PolicyReplayJob | undefined> {
    const [row] = await this.sql.query<ReplayRow>(
      `UPDATE policy_replays AS r SET status = 'running', claimed_until = $2, claims = r.claims + 1
        WHERE r.id = (
          SELECT id FROM policy_replays
           WHERE status = 'queued' OR (status = 'running' AND (claimed_until IS NULL OR claimed_until <= $1))
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING r.*`,
      [now, claimedUntil],
    );
    return row ? jobOf(row) : undefined;
  }

  async savePage(
    claim: PolicyReplayClaim,
    page: { position: PolicyReplayPosition; progress: PolicyReplayProgress; items: PolicyReplayItem[] },
    claimedUntil: Date,
  ): Promise<boolean> {
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE policy_replays SET position = $3, progress = $4, items = items || $5::jsonb, claimed_until = $6
        WHERE id = $1 AND claims = $2 AND status = 'running'
        RETURNING id`,
      [
        claim.id,
        claim.claims,
        JSON.stringify(page.position),
        JSON.stringify(page.progress),
        JSON.stringify(page.items),
        claimedUntil,
      ],
    );
    return rows.length > 0;
  }

  async finish(claim: PolicyReplayClaim, status: 'done' | 'failed', at: Date, error?: string): Promise<void> {
    await this.sql.query(
      `UPDATE policy_replays SET status = $3, finished_at = $4, error = $5, claimed_until = NULL
        WHERE id = $1 AND claims = $2 AND status = 'running'`,
      [claim.id, claim.claims, status, at, error ?? null],
    );
  }
}
