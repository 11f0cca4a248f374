import { formatJapanTime } from './japan-time';
import {
  IF_NOT_YOU,
  type LinkNotificationFacts,
  type NotificationFormat,
  printableAppName,
  type RenderedNotification,
} from './link-notification.template';
import { findLinks } from './links-in-text';
import { maskedBankAccount } from './masked-bank-account';

const emailText = (app: string, account: string, time: string) =>
  [
    '口座連携でご利用の端末が変更されましたのでお知らせします。',
    '',
    'お客さまの口座と連携している下記の決済サービスで、口座振替に使う端末を変更する手続きが、お取引の金融機関での再認証のうえ行われました。以後、変更前の端末からは口座振替を行えません。',
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
  `【口座連携のお知らせ】${time}、${app}との口座連携でご利用の端末が変更されました（${account}）。${IF_NOT_YOU}`;

/**
 * R9 with R4 and R13: the Japanese notice that a link was bound to another device, for e-mail or SMS. Names
 * the app, the masked account and the time, never the device (an app's id, which could carry anything).
 * Throws rather than ever render a link.
 */
export function renderDeviceReboundNotification(
  facts: LinkNotificationFacts,
  format: NotificationFormat,
): RenderedNotification {
  const app = printableAppName(facts.paymentAppName, facts.paymentAppId);
  const account = maskedBankAccount(facts.bankAccount);
  const time = formatJapanTime(facts.at);
  const rendered: RenderedNotification = {
    subject: `【口座連携のお知らせ】${app}との口座連携でご利用の端末が変更されました`,
    text: format === 'email' ? emailText(app, account, time) : smsText(app, account, time),
  };
  if (findLinks(`${rendered.subject}\n${rendered.text}`).length > 0) {
    throw new Error('A customer notification rendered with something link-like in it; it is not sent');
  }
  return rendered;
}
