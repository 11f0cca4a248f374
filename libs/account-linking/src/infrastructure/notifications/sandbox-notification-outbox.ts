import type { SqlClient } from '@lib/platform/sql/sql-client';
import { maskedRecipient } from '../../application/customer-notification/masked-recipient';
import type { NotificationChannel, OutgoingNotification } from '../../application/ports/notification-channel.port';

export const sandboxNotificationsSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS sandbox_notifications (
  message_id   text        PRIMARY KEY,
  link_id      text        NOT NULL,
  channel      text        NOT NULL,
  recipient    text        NOT NULL,
  subject      text        NOT NULL,
  body         text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sandbox_notifications_link ON sandbox_notifications (link_id, created_at);
`;

/** A notification as the sandbox outbox shows it (API.md "Sandbox"). */
export interface SandboxNotification {
  messageId: string;
  linkId: string;
  /** What a real customer of the bank would have been sent: `email` or `sms`. */
  channel: string;
  /** The bank-reported contact, masked. */
  recipient: string;
  subject: string;
  text: string;
  createdAt: string;
}

/**
 * The sandbox bank's "customers" are told here instead of by e-mail or SMS: the rows keep the Japanese
 * text that would have been sent, for newcomers to read. A message id is stored once, however often sent.
 */
export class SandboxNotificationOutbox implements NotificationChannel {
  readonly name = 'sandbox_outbox';

  constructor(private readonly sql: SqlClient) {}

  async ensureSchema(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:sandbox_notifications'))`);
      for (const statement of sandboxNotificationsSchema.split(';').filter((s) => s.trim() !== '')) {
        await tx.query(statement);
      }
    });
  }

  async send(notification: OutgoingNotification): Promise<void> {
    await this.sql.query(
      `INSERT INTO sandbox_notifications (message_id, link_id, channel, recipient, subject, body)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id) DO NOTHING`,
      [
        notification.messageId,
        notification.linkId,
        notification.recipient.kind,
        maskedRecipient(notification.recipient),
        notification.subject,
        notification.text,
      ],
    );
  }

  /** Newest first. */
  async list(filter: { linkId?: string; limit: number }): Promise<SandboxNotification[]> {
    const rows = await this.sql.query<{
      message_id: string;
      link_id: string;
      channel: string;
      recipient: string;
      subject: string;
      body: string;
      created_at: Date | string;
    }>(
      `SELECT message_id, link_id, channel, recipient, subject, body, created_at FROM sandbox_notifications
        WHERE ($1::text IS NULL OR link_id = $1) ORDER BY created_at DESC, message_id LIMIT $2`,
      [filter.linkId ?? null, filter.limit],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      linkId: row.link_id,
      channel: row.channel,
      recipient: row.recipient,
      subject: row.subject,
      text: row.body,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }
}
