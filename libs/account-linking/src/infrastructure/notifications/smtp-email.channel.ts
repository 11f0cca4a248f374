import { createTransport, type Transporter } from 'nodemailer';
import {
  type NotificationChannel,
  NotificationNotDelivered,
  type OutgoingNotification,
} from '../../application/ports/notification-channel.port';

export interface SmtpEmailChannelOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:port` (nodemailer's connection URL). */
  url: string;
  /** The sender address customers see. */
  from: string;
  /** Kept below the outbox claim, so a slow server never outlives the worker's hold on the message. */
  timeoutMs?: number;
}

/** What went wrong, in codes only: SMTP replies can quote the recipient's address. */
function reasonOf(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const parts = ['smtp', typeof code === 'string' ? code : 'error'];
  if (typeof responseCode === 'number') parts.push(String(responseCode));
  return parts.join(' ');
}

/**
 * E-mail over SMTP (nodemailer), plain text only. The outbox message id becomes the Message-ID header, so
 * a message resent after a crash is the same message to the customer's mail client.
 */
export class SmtpEmailChannel implements NotificationChannel {
  readonly name = 'email';
  private readonly transport: Transporter;
  private readonly messageIdDomain: string;

  constructor(private readonly options: SmtpEmailChannelOptions) {
    const timeout = options.timeoutMs ?? 20_000;
    this.transport = createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    this.messageIdDomain = options.from.split('@').pop()?.replace(/[>\s]/g, '') || 'kouza-link.invalid';
  }

  async send(notification: OutgoingNotification): Promise<void> {
    if (notification.recipient.kind !== 'email') throw new NotificationNotDelivered('not an e-mail recipient');
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: notification.recipient.address,
        subject: notification.subject,
        text: notification.text,
        textEncoding: 'base64',
        messageId: `<${notification.messageId}@${this.messageIdDomain}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw new NotificationNotDelivered(reasonOf(error));
    }
  }

  close(): void {
    this.transport.close();
  }
}
