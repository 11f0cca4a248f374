import fc from 'fast-check';
import type { BankAccountType } from '../../domain/bank-account';
import { type NotificationFormat, renderLinkNotification } from './link-notification.template';
import { findLinks } from './links-in-text';

// FSA phishing rule (R4): no URL, no login link, no domain a phone could turn into a link. Every template is scanned.
const FORMATS: NotificationFormat[] = ['email', 'sms'];
const ACCOUNT_TYPES: BankAccountType[] = ['ordinary', 'current', 'savings'];

/** App names as operators might register them, including ones that try to smuggle a link in. */
const APP_NAMES = [
  'Sandbox payment app',
  'ことりペイ',
  'ｄ払い',
  'PayPay',
  'kotori-pay.example.com',
  'Kotori Pay (https://kotori.example/login)',
  'ｋｏｔｏｒｉ．ｃｏｍ',
  'www.kotori-pay',
  'mailto:help@kotori.jp',
  'help@kotori.jp',
  '192.168.0.1',
  'kotori.app',
  'pay.tokyo',
  'javascript:alert(1)',
  'Kotori Pay v1.2',
];

const scan = (appName: string, clientId: string, format: NotificationFormat, type: BankAccountType = 'ordinary') => {
  const { subject, text } = renderLinkNotification(
    {
      paymentAppName: appName,
      paymentAppId: clientId,
      bankAccount: { bankCode: '9900', branchCode: '001', type, last4: '0042' },
      at: '2026-11-21T10:31:00.000Z',
    },
    format,
  );
  return findLinks(`${subject}\n${text}`);
};

describe('the URL detector the scan relies on', () => {
  it.each([
    'https://example.com/login',
    'http://127.0.0.1:8080',
    'example.com',
    'sub.example.co.jp',
    'www.example',
    'ｅｘａｍｐｌｅ．ｃｏｍ',
    'help@example.jp',
    'kotori.app',
    'bank-login.xyz/verify',
  ])('finds %s', (link) => {
    expect(findLinks(`お手続きは ${link} から`)).not.toEqual([]);
  });

  it('does not flag plain Japanese prose, masked numbers or times', () => {
    expect(findLinks('口座番号 ****4567、2026年11月21日 19時31分。お電話ください。')).toEqual([]);
  });
});

describe('no customer notification carries a link', () => {
  it.each(FORMATS.flatMap((format) => APP_NAMES.map((name) => [format, name] as const)))(
    'the %s template with the app named %s',
    (format, name) => {
      expect(scan(name, 'kotori-pay', format)).toEqual([]);
    },
  );

  it.each(FORMATS.flatMap((format) => ACCOUNT_TYPES.map((type) => [format, type] as const)))(
    'the %s template for a %s account',
    (format, type) => {
      expect(scan('ことりペイ', 'kotori-pay', format, type)).toEqual([]);
    },
  );

  it('whatever an operator registers as the app name and client id', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.oneof(fc.webUrl(), fc.domain(), fc.emailAddress(), fc.string({ maxLength: 30 })),
        fc.constantFrom(...FORMATS),
        (name, clientId, format) => {
          expect(scan(name, clientId, format)).toEqual([]);
          expect(scan(`${name} ${clientId}`, clientId, format)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
