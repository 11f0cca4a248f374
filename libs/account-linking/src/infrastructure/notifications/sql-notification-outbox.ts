import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type {
  ClaimedNotification,
  NotificationOutbox,
  NotificationOutboxChange,
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
    await insert(tx, [{ notification, notBefore }]);
  }

  async cancelPending(tx: SqlExecutor, linkId: string, at: Date, why: string): Promise<void> {
    await cancel(tx, [{ linkId, at, why }]);
  }

  async change(tx: SqlExecutor, changes: readonly NotificationOutboxChange[]): Promise<void> {
    // Each run of one kind in one statement: a cancellation after an enqueue of its link still sees that row.
    for (let start = 0; start < changes.length; ) {
      const kind = changes[start]?.kind;
      let end = start;
      while (end < changes.length && changes[end]?.kind === kind) end += 1;
      const run = changes.slice(start, end);
      if (kind === 'enqueue') await insert(tx, run as Extract<NotificationOutboxChange, { kind: 'enqueue' }>[]);
      else await cancel(tx, run as Extract<NotificationOutboxChange, { kind: 'cancel' }>[]);
      start = end;
    }
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
      await insert(tx, [{ notification: next, notBefore }]);
    });
  }

  async release(messageId: string, retryAt: Date): Promise<void> {
    await this.sql.query('UPDATE notification_outbox SET claimed_until = $2 WHERE message_id = $1', [
      messageId,
      retryAt,
    ]);
  }
}

async function insert(
  tx: SqlExecutor,
  queued: readonly { notification: QueuedNotification; notBefore: Date }[],
): Promise<void> {
  const rows = queued.map(({ notification, notBefore }) => ({
    message_id: notification.messageId,
    link_id: notification.linkId,
    attempt: notification.attempt,
    sealed_contact: notification.sealedContact ?? null,
    requested_at: notification.requestedAt,
    next_attempt_at: notBefore,
  }));
  await tx.query(
    `INSERT INTO notification_outbox (message_id, link_id, attempt, sealed_contact, requested_at, next_attempt_at)
     SELECT message_id, link_id, attempt, sealed_contact, requested_at, next_attempt_at
       FROM jsonb_to_recordset($1::jsonb) AS r(message_id text, link_id text, attempt integer, sealed_contact text,
            requested_at timestamptz, next_attempt_at timestamptz)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

async function cancel(tx: SqlExecutor, cancels: readonly { linkId: string; at: Date; why: string }[]): Promise<void> {
  // A link's first cancellation in the run is the one that finds its rows pending.
  const first = new Map<string, { link_id: string; at: Date; why: string }>();
  for (const { linkId, at, why } of cancels) {
    if (!first.has(linkId)) first.set(linkId, { link_id: linkId, at, why });
  }
  await tx.query(
    `UPDATE notification_outbox AS o SET status = 'cancelled', settled_at = r.at, detail = r.why, claimed_until = NULL
       FROM jsonb_to_recordset($1::jsonb) AS r(link_id text, at timestamptz, why text)
      WHERE o.link_id = ANY($2::text[]) AND o.link_id = r.link_id AND o.status = 'pending'`,
    [JSON.stringify([...first.values()]), [...first.keys()]],
  );
}
