/** Where a notification goes: the contact registered at the bank, never one the app supplied (R4). */
export type NotificationRecipient = { kind: 'email'; address: string } | { kind: 'sms'; phoneNumber: string };

export interface OutgoingNotification {
  /** Stable for one attempt on one link: channels hand it on (Message-ID, Idempotency-Key) so a resend is deduplicated. */
  messageId: string;
  linkId: string;
  recipient: NotificationRecipient;
  subject: string;
  text: string;
}

/** One way of reaching a customer. `send` resolves once the channel has accepted the message. */
export interface NotificationChannel {
  /** Recorded on the link's CustomerNotified event. */
  readonly name: string;
  send(notification: OutgoingNotification): Promise<void>;
}

/** The channel did not take the message; `reason` is a short code or text with no personal data in it. */
export class NotificationNotDelivered extends Error {
  override readonly name = 'NotificationNotDelivered';

  constructor(readonly reason: string) {
    super(`Notification not delivered: ${reason}`);
  }
}

export const NOTIFICATION_ROUTES = Symbol('NOTIFICATION_ROUTES');

/** The channels this deployment has, and the banks whose customers are only ever "notified" in the sandbox outbox. */
export interface NotificationRoutes {
  email?: NotificationChannel;
  sms?: NotificationChannel;
  sandbox?: { bankCodes: readonly string[]; channel: NotificationChannel };
}
