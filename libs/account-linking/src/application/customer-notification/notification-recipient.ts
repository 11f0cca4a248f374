import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type {
  NotificationChannel,
  NotificationRecipient,
  NotificationRoutes,
} from '../ports/notification-channel.port';

/** The contact the bank reported in `authentication.succeeded`, as the service sealed it. */
export interface BankReportedContact {
  email?: string;
  phone?: string;
}

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+$/.test(value);

/** E-mail where the bank has one, else SMS to its phone number (E.164); never a contact the app supplied (R4). */
export function recipientFor(contact: BankReportedContact | undefined): NotificationRecipient | undefined {
  const email = contact?.email?.trim();
  if (email && looksLikeEmail(email)) return { kind: 'email', address: email };
  const phone = contact?.phone ? parsePhoneNumberFromString(contact.phone, 'JP') : undefined;
  if (phone?.isValid()) return { kind: 'sms', phoneNumber: phone.number };
  return undefined;
}

/** The sandbox bank's customers are "notified" in the sandbox outbox; everyone else on the recipient's channel. */
export function channelFor(
  routes: NotificationRoutes,
  bankCode: string,
  recipient: NotificationRecipient,
): NotificationChannel | undefined {
  if (routes.sandbox?.bankCodes.includes(bankCode)) return routes.sandbox.channel;
  return recipient.kind === 'email' ? routes.email : routes.sms;
}
