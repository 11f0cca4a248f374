import { formatJapanTime } from './japan-time';
import { type LinkNotificationFacts, printableAppName, renderLinkNotification } from './link-notification.template';

const facts: LinkNotificationFacts = {
  paymentAppName: 'ことりペイ',
  paymentAppId: 'kotori-pay',
  bankAccount: { bankCode: '0001', branchCode: '123', type: 'ordinary', last4: '4567' },
  at: '2026-11-21T10:31:00.000Z',
};

describe.each(['email', 'sms'] as const)('the link notification by %s', (format) => {
  const { subject, text } = renderLinkNotification(facts, format);

  it('names the payment app', () => {
    expect(text).toContain('ことりペイ');
    expect(subject).toContain('ことりペイ');
  });

  it('shows the account masked: bank and branch code, type and only the last four digits', () => {
    expect(text).toContain('金融機関コード0001 支店コード123 普通 ****4567');
  });

  it('gives the time in Japan', () => {
    expect(text).toContain('2026年11月21日 19時31分（日本時間）');
  });

  it('tells the customer to call the number their bank has registered if it was not them', () => {
    expect(text).toContain('お心当たりのない場合');
    expect(text).toContain('お取引の金融機関の公式の電話番号');
    expect(text).toContain('キャッシュカードの裏面');
  });
});

describe('Japan time', () => {
  it('crosses the date line at 15:00 UTC', () => {
    expect(formatJapanTime('2026-12-31T15:00:00.000Z')).toBe('2027年1月1日 00時00分（日本時間）');
  });
});

describe('the app name printed in a notification', () => {
  it('is the display name when it holds no link', () => {
    expect(printableAppName('Sandbox payment app', 'sandbox-app')).toBe('Sandbox payment app');
  });

  it('loses anything that reads as a link, domain or address', () => {
    expect(printableAppName('ことりペイ (kotori-pay.example.com)', 'kotori')).toBe('ことりペイ');
    expect(printableAppName('Pay https://evil.example/x now', 'x')).toBe('Pay now');
    expect(printableAppName('support@kotori.jp', 'kotori-pay')).toBe('kotori-pay');
  });

  it('falls back to the client id, then to a generic name, when nothing else is left', () => {
    expect(printableAppName('www.evil.example', 'kotori-pay')).toBe('kotori-pay');
    expect(printableAppName('evil.com', 'pay.evil.com')).toBe('決済サービス');
  });
});
