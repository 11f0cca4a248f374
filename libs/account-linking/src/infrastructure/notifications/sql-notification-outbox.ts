import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ClaimedNotification,
  NotificationOutbox,
  QueuedNotification,
  SettledStatus,
} from '../../application/ports/notification-outbox.port';

export const notificationOutboxSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS notification_outbox (
  message_id      text        PRIMARY KEY,
  link_id         text        NOT NULL,
  attempt         integer     NOT NULL CHECK (attempt >= 1),
  sealed_contact  text,
  requested_at    timestamptz NOT NULL,
  status          text        NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'cancelled')),
  channel         text,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  claims          integer     NOT NULL DEFAULT 0,
  sent_at         timestamptz,
  settled_at      timestamptz,
  detail          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (link_id, attempt)
);
CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at)
  WHERE status IN ('pending', 'sent');
`;

interface OutboxRow {
  message_id: string;
  link_id: string;
  attempt: number;
  sealed_contact: string | null;
  requested_at: Date | string;
  status: string;
  channel: string | null;
  sent_at: Date | string | null;
  claims: number;
}

const COLUMNS = 'message_id, link_id, attempt, sealed_contact, requested_at, status, channel, sent_at, claims';

function claimedOf(row: OutboxRow): ClaimedNotification {
  return {
    messageId: row.message_id,
    linkId: row.link_id,
    attempt: row.attempt,
    ...(row.sealed_contact ? { sealedContact: row.sealed_contact } : {}),
    requestedAt: new Date(row.requested_at),
    ...(row.status === 'sent' && row.channel && row.sent_at
      ? { sent: { channel: row.channel, at: new Date(row.sent_at) } }
      : {}),
    claims: row.claims,
  };
}

/** `notification_outbox` on the service's database (PGlite or PostgreSQL): one row per attempt, claimed with `UPDATE … RETURNING`. */
export class SqlNotificationOutbox implements NotificationOutbox {
  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:notification_outbox'))`);
      for (const statement of notificationOutboxSchema.split(';').filter((s) => s.trim() !== '')) {
        await tx.query(statement);
      }
    });
  }

  async enqueue(tx: SqlExecutor, notification: QueuedNotification, notBefore: Date): Promise<void> {
    await insert(tx, notification, notBefore);
  }

  async cancelPending(tx: SqlExecutor, linkId: string, at: Date, why: string): Promise<void> {
    await tx.query(
      `UPDATE notification_outbox SET status = 'cancelled', settled_at = $2, detail = $3, claimed_until = NULL
        WHERE link_id = $1 AND status = 'pending'`,
      [linkId, at, why],
    );
  }

  async claimDue(now: Date, claimedUntil: Date, limit: number): Promise<ClaimedNotification[]> {
    const rows = await this.sql.query<OutboxRow>(
      `UPDATE notification_outbox AS o SET claimed_until = $2, claims = o.claims + 1
        WHERE o.message_id IN (
          SELECT message_id FROM notification_outbox
           WHERE status IN ('pending', 'sent') AND next_attempt_at <= $1
             AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY next_attempt_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS.split(', ')
          .map((column) => `o.${column}`)
          .join(', ')}`,
      [now, claimedUntil, limit],
    );
    return rows.map(claimedOf);
  }

  async markSent(messageId: string, channel: string, at: Date): Promise<void> {
    // Also over a cancellation that raced the send: the message went out, so it is recorded.
    await this.sql.query(
      `UPDATE notification_outbox SET status = 'sent', channel = $2, sent_at = $3
        WHERE message_id = $1 AND status IN ('pending', 'cancelled')`,
      [messageId, channel, at],
    );
  }

  async settle(messageId: string, status: SettledStatus, at: Date, detail: string): Promise<void> {
    await this.sql.query(
      `UPDATE notification_outbox SET status = $2, settled_at = $3, detail = $4, claimed_until = NULL
        WHERE message_id = $1`,
      [messageId, status, at, detail],
    );
  }

  async failAndRetry(
    messageId: string,
    at: Date,
    detail: string,
    next: QueuedNotification,
    notBefore: Date,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `UPDATE notification_outbox SET status = 'failed', settled_at = $2, detail = $3, claimed_until = NULL
          WHERE message_id = $1`,
        [messageId, at, detail],
      );
      await insert(tx, next, notBefore);
    });
  }

  async release(messageId: string, retryAt: Date): Promise<void> {
    await this.sql.query('UPDATE notification_outbox SET claimed_until = $2 WHERE message_id = $1', [
      messageId,
      retryAt,
    ]);
  }
}

async function insert(tx: SqlExecutor, notification: QueuedNotification, notBefore: Date): Promise<void> {
  await tx.query(
    `INSERT INTO notification_outbox (message_id, link_id, attempt, sealed_contact, requested_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [
      notification.messageId,
      notification.linkId,
      notification.attempt,
      notification.sealedContact ?? null,
      notification.requestedAt,
      notBefore,
    ],
  );
}
