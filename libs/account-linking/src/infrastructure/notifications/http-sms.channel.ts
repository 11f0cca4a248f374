import {
  type NotificationChannel,
  NotificationNotDelivered,
  type OutgoingNotification,
} from '../../application/ports/notification-channel.port';

export interface HttpSmsChannelOptions {
  /** The provider's send endpoint. */
  url: string;
  apiKey: string;
  timeoutMs?: number;
}

/**
 * SMS through an HTTP provider: `POST {url}` with `{ to, text, reference }`, the key as a bearer token and the
 * outbox message id as `Idempotency-Key`, so the provider drops a message resent after a crash.
 */
export class HttpSmsChannel implements NotificationChannel {
  readonly name = 'sms';

  constructor(private readonly options: HttpSmsChannelOptions) {}

  async send(notification: OutgoingNotification): Promise<void> {
    if (notification.recipient.kind !== 'sms') throw new NotificationNotDelivered('not an SMS recipient');
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.apiKey}`,
          'idempotency-key': notification.messageId,
        },
        body: JSON.stringify({
          to: notification.recipient.phoneNumber,
          text: notification.text,
          reference: notification.messageId,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new NotificationNotDelivered(`sms provider unreachable (${error instanceof Error ? error.name : 'error'})`);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new NotificationNotDelivered(`sms provider answered ${response.status}`);
  }
}
