import type { NotificationRecipient } from '../ports/notification-channel.port';

/** Enough to tell which contact was used (`t***@example.jp`, `*******5678`), not enough to be one. */
export function maskedRecipient(recipient: NotificationRecipient): string {
  if (recipient.kind === 'sms')
    return `${'*'.repeat(Math.max(0, recipient.phoneNumber.length - 4))}${recipient.phoneNumber.slice(-4)}`;
  const at = recipient.address.lastIndexOf('@');
  const local = recipient.address.slice(0, Math.max(0, at));
  return `${local.slice(0, 1)}***${recipient.address.slice(at)}`;
}
