import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ClaimedLinkNotice,
  LinkNoticeKind,
  LinkNoticeOutbox,
  QueuedLinkNotice,
} from '../../application/ports/link-notice-outbox.port';

export const linkNoticeOutboxSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS link_notice_outbox (
  message_id      text        PRIMARY KEY,
  link_id         text        NOT NULL,
  kind            text        NOT NULL,
  occurred_at     timestamptz NOT NULL,
  attempt         integer     NOT NULL DEFAULT 1,
  status          text        NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'sent', 'delivered', 'failed')),
  channel         text,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  claims          integer     NOT NULL DEFAULT 0,
  sent_at         timestamptz,
  settled_at      timestamptz,
  last_failed_at  timestamptz,
  detail          text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS link_notice_outbox_due ON link_notice_outbox (next_attempt_at)
  WHERE status IN ('pending', 'sent');
`;

interface NoticeRow {
  message_id: string;
  link_id: string;
  kind: string;
  occurred_at: Date | string;
  attempt: number;
  status: string;
  channel: string | null;
  sent_at: Date | string | null;
  claims: number;
}

/** `link_notice_outbox` on the service's database (PGlite or PostgreSQL), claimed with `UPDATE … RETURNING`. */
export class SqlLinkNoticeOutbox implements LinkNoticeOutbox {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:link_notice_outbox'))`);
      for (const statement of linkNoticeOutboxSchema.split(';').filter((s) => s.trim() !== '')) {
        await tx.query(statement);
      }
    });
  }

  async enqueue(tx: SqlExecutor, notice: QueuedLinkNotice, notBefore: Date): Promise<void> {
    await tx.query(
      `INSERT INTO link_notice_outbox (message_id, link_id, kind, occurred_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [notice.messageId, notice.linkId, notice.kind, notice.occurredAt, notBefore],
    );
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedLinkNotice[]> {
    const rows = await this.sql.query<NoticeRow>(
      `UPDATE link_notice_outbox AS o SET claimed_until = $2, claims = o.claims + 1
        WHERE o.message_id IN (
          SELECT message_id FROM link_notice_outbox
           WHERE status IN ('pending', 'sent') AND next_attempt_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY next_attempt_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING o.message_id, o.link_id, o.kind, o.occurred_at, o.attempt, o.status, o.channel, o.sent_at, o.claims`,
      [now, claimedUntil, limit],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      linkId: row.link_id,
      kind: row.kind as LinkNoticeKind,
      occurredAt: new Date(row.occurred_at),
      attempt: row.attempt,
      claims: row.claims,
      ...(row.status === 'sent' && row.channel && row.sent_at
        ? { sent: { channel: row.channel, at: new Date(row.sent_at) } }
        : {}),
    }));
  }

  async markSent(messageId: string, channel: string, at: Date): Promise<void> {
    await this.sql.query(
      `UPDATE link_notice_outbox SET status = 'sent', channel = $2, sent_at = $3
        WHERE message_id = $1 AND status = 'pending'`,
      [messageId, channel, at],
    );
  }

  async settle(messageId: string, status: 'delivered' | 'failed', at: Date, detail: string): Promise<void> {
    await this.sql.query(
      `UPDATE link_notice_outbox SET status = $2, settled_at = $3, detail = $4, claimed_until = NULL
        WHERE message_id = $1`,
      [messageId, status, at, detail],
    );
  }

  async retryLater(messageId: string, at: Date, detail: string, notBefore: Date): Promise<void> {
    await this.sql.query(
      `UPDATE link_notice_outbox
          SET attempt = attempt + 1, last_failed_at = $2, detail = $3, next_attempt_at = $4, claimed_until = NULL
        WHERE message_id = $1 AND status = 'pending'`,
      [messageId, at, detail, notBefore],
    );
  }
}
