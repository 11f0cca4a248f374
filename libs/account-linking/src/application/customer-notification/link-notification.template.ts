import type { BankAccount } from '../../domain/bank-account';
import type { Instant } from '../../domain/time';
import { formatJapanTime } from './japan-time';
import { findLinks, withoutLinks } from './links-in-text';
import { maskedBankAccount } from './masked-bank-account';

/** What the customer is told about (R4): the app, the masked account and when. Nothing personal beyond that. */
export interface LinkNotificationFacts {
  /** The payment app's display name as registered, or its client id. */
  paymentAppName: string;
  /** Used when the display name holds nothing printable once links are taken out. */
  paymentAppId: string;
  bankAccount: Pick<BankAccount, 'bankCode' | 'branchCode' | 'type' | 'last4'>;
  at: Instant;
}

export interface RenderedNotification {
  subject: string;
  text: string;
}

export type NotificationFormat = 'email' | 'sms';

const GENERIC_APP_NAME = '決済サービス';
const MAX_APP_NAME_LENGTH = 40;

/** A name fit to print in a message with no links: whatever in it could read as one is taken out. */
export function printableAppName(displayName: string, clientId: string): string {
  for (const candidate of [displayName, clientId]) {
    const cleaned = withoutLinks(candidate).slice(0, MAX_APP_NAME_LENGTH).trim();
    if (cleaned !== '' && findLinks(cleaned).length === 0) return cleaned;
  }
  return GENERIC_APP_NAME;
}

// Why no link: the FSA's phishing rule. The customer is sent to the number on their cash card, which an attacker cannot change.
export const IF_NOT_YOU =
  'お心当たりのない場合は、至急、お取引の金融機関の公式の電話番号（キャッシュカードの裏面や通帳に記載の番号）へお電話ください。';

const emailText = (app: string, account: string, time: string) =>
  [
    '口座連携の手続きが行われましたのでお知らせします。',
    '',
    `お客さまの口座を、下記の決済サービスから口座振替で引き落とせるようにする手続き（口座連携）が行われました。`,
    '',
    `決済サービス：${app}`,
    `口座：${account}`,
    `日時：${time}`,
    '',
    IF_NOT_YOU,
    'お客さまご自身のお手続きであれば、このメッセージへの対応は不要です。',
    '',
    'このメッセージはお取引の金融機関に登録されている連絡先にお送りしています。',
    'このメッセージにはリンクを記載していません。リンクの付いた同様のメッセージは開かずに削除してください。',
  ].join('\n');

const smsText = (app: string, account: string, time: string) =>
  `【口座連携のお知らせ】${time}、${app}との口座連携の手続きが行われました（${account}）。${IF_NOT_YOU}`;

/** The Japanese notification of a new link, for e-mail or SMS. Throws rather than ever render a link. */
export function renderLinkNotification(facts: LinkNotificationFacts, format: NotificationFormat): RenderedNotification {
  const app = printableAppName(facts.paymentAppName, facts.paymentAppId);
  const account = maskedBankAccount(facts.bankAccount);
  const time = formatJapanTime(facts.at);
  const rendered: RenderedNotification = {
    subject: `【口座連携のお知らせ】${app}との口座連携の手続きが行われました`,
    text: format === 'email' ? emailText(app, account, time) : smsText(app, account, time),
  };
  if (findLinks(`${rendered.subject}\n${rendered.text}`).length > 0) {
    throw new Error('A customer notification rendered with something link-like in it; it is not sent');
  }
  return rendered;
}
