import fc from 'fast-check';
import { renderDeviceReboundNotification } from './device-rebound-notification.template';
import type { LinkNotificationFacts } from './link-notification.template';
import { findLinks } from './links-in-text';

const facts: LinkNotificationFacts = {
  paymentAppName: 'ことりペイ',
  paymentAppId: 'kotori-pay',
  bankAccount: { bankCode: '0001', branchCode: '123', type: 'ordinary', last4: '4567' },
  at: '2026-11-21T10:31:00.000Z',
};

describe.each(['email', 'sms'] as const)('the device re-binding notice by %s (R9, R4)', (format) => {
  const { subject, text } = renderDeviceReboundNotification(facts, format);

  it('says in Japanese that the device used for the link changed, naming the app', () => {
    expect(text).toContain('端末が変更されました');
    expect(subject).toContain('ことりペイ');
    expect(text).toContain('ことりペイ');
  });

  it('shows the account masked and the time in Japan', () => {
    expect(text).toContain('金融機関コード0001 支店コード123 普通 ****4567');
    expect(text).toContain('2026年11月21日 19時31分（日本時間）');
  });

  it('tells the customer to call the number their bank has registered if it was not them', () => {
    expect(text).toContain('お心当たりのない場合');
    expect(text).toContain('キャッシュカードの裏面');
  });

  it('carries no link, whatever the app is called', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.oneof(fc.webUrl(), fc.domain(), fc.emailAddress()), (name, id) => {
        const rendered = renderDeviceReboundNotification(
          { ...facts, paymentAppName: `${name} ${id}`, paymentAppId: id },
          format,
        );
        expect(findLinks(`${rendered.subject}\n${rendered.text}`)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
