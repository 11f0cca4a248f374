import { randomUUID } from 'node:crypto';
import { findLinks } from '@lib/account-linking/application/customer-notification/links-in-text';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import { SmsProviderStub } from '@lib/account-linking/infrastructure/notifications/testing/sms-provider-stub';
import { SmtpInbox } from '@lib/account-linking/infrastructure/notifications/testing/smtp-inbox';
import { eventually } from './support/eventually';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const SERVICE_NOTIFIES: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};

const ADDRESS = { postalCode: '100-0001', prefecture: '東京都', line: '千代田区千代田1-1' };

const linkRequest = (bankCode: string, number: string) => ({
  customer: { reference: `user-${randomUUID()}` },
  ekyc: {
    method: 'jpki',
    verifiedAt: '2026-11-20T10:00:00Z',
    name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
    birthDate: '1990-01-02',
    // What the app collected: an attacker could control it, so nothing is ever sent here (R4).
    phone: '090-0000-9999',
    address: ADDRESS,
  },
  bankAccount: { bankCode, branchCode: '123', type: 'ordinary', number },
  device: { id: 'device-abc' },
});

/** What the bank holds for its customer: it matches the app's eKYC (R3). Its contact for notices is separate. */
const holder = {
  name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' },
  birthDate: '1990-01-02',
  phone: '09000009999',
  address: ADDRESS,
};
const accountNumber = () => String(1_000_000 + Math.floor(Math.random() * 8_999_999));

describe.each(STORES)('notifying the customer at the contact the bank holds, on %s', (store) => {
  let service: ServiceUnderTest;
  let inbox: SmtpInbox;
  let sms: SmsProviderStub;
  let token: string;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    sms = await SmsProviderStub.start();
    service = await startService(store, {
      processes: 'running',
      env: {
        SMTP_URL: inbox.url,
        SMTP_FROM: 'Kouza Link <no-reply@kouza-link.example>',
        SMS_API_URL: sms.url,
        SMS_API_KEY: sms.apiKey,
      },
    });
    token = await service.token();
    secrets['0005'] = await service.registerBank('0005', SERVICE_NOTIFIES, 'Test Bank');
    secrets['0006'] = await service.registerBank('0006', { ...SERVICE_NOTIFIES, customerNotifiedBy: 'bank' });
  });
  afterAll(async () => {
    await service?.close();
    await inbox?.close();
    await sms?.close();
  });

  const asApp = { authorization: '' };
  const requestLink = async (bankCode: string, number = accountNumber()) => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { ...asApp, authorization: `Bearer ${token}` },
      payload: linkRequest(bankCode, number),
    });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const linkStatus = async (linkId: string) =>
    (
      await service.app.inject({
        method: 'GET',
        url: `/v1/links/${linkId}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
  const bankAuthenticated = async (bankCode: string, linkId: string, contact: object) => {
    const webhook = await service.sendBankEvent(
      {
        type: 'authentication.succeeded',
        data: { linkId, methods: ['password', 'otp_sms'], holder, contact, authenticatedAt: new Date().toISOString() },
      },
      { bankCode, secret: secrets[bankCode] ?? service.secrets.bankWebhook },
    );
    expect(webhook.statusCode).toBe(204);
  };

  it('request → signed webhook → e-mail in the inbox of the address the bank reported → active, with no manual step', async () => {
    const linkId = await requestLink('0005', '7654321');
    await bankAuthenticated('0005', linkId, { email: 'taro.at.bank@example.jp' });

    const email = await inbox.waitFor((received) => received.envelopeTo.includes('taro.at.bank@example.jp'));
    expect(email.subject).toContain('口座連携のお知らせ');
    expect(email.text).toContain('Sandbox payment app');
    expect(email.text).toContain('金融機関コード0005 支店コード123 普通 ****4321');
    expect(email.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}時\d{2}分（日本時間）/);
    expect(email.text).toContain('キャッシュカードの裏面');
    expect(findLinks(`${email.subject}\n${email.text}`)).toEqual([]);
    expect(email.text).not.toContain('7654321');

    const link = await eventually(async () => {
      const view = await linkStatus(linkId);
      expect(view.status).toBe('active');
      return view;
    });
    expect(link.activatedAt).toEqual(expect.any(String));
    const types = await service.eventTypesOf(`link-${linkId}`);
    expect(types.slice(-2)).toEqual(['CustomerNotified', 'LinkActivated']);
    expect(inbox.messages().filter((received) => received.envelopeTo.includes('taro.at.bank@example.jp'))).toHaveLength(
      1,
    );
  });

  it('texts the phone number the bank reported, never the one the app collected', async () => {
    const linkId = await requestLink('0005');
    await bankAuthenticated('0005', linkId, { phone: '080-2222-3333' });

    const text = await sms.waitForSent((sent) => sent.body.to === '+818022223333');
    expect(text.body.text).toContain('Sandbox payment app');
    expect(text.headers['idempotency-key']).toMatch(/^ntf_/);
    await eventually(async () => expect((await linkStatus(linkId)).status).toBe('active'));
    expect(sms.requests.some((call) => call.body.to === '+819000009999')).toBe(false);
  });

  it('leaves the telling to a bank that notifies its customers itself, and activates on its notification.delivered', async () => {
    const linkId = await requestLink('0006');
    await bankAuthenticated('0006', linkId, { email: 'hanako.at.bank@example.jp' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await linkStatus(linkId)).toMatchObject({ status: 'notifying_customer' });
    expect(inbox.received.some((received) => received.envelopeTo.includes('hanako.at.bank@example.jp'))).toBe(false);

    const delivered = await service.sendBankEvent(
      { type: 'notification.delivered', data: { linkId, channel: 'sms', deliveredAt: new Date().toISOString() } },
      { bankCode: '0006', secret: secrets['0006'] },
    );
    expect(delivered.statusCode).toBe(204);
    expect((await linkStatus(linkId)).status).toBe('active');
  });

  it('walks the sandbox of API.md to active, and shows the Japanese text in the sandbox outbox', async () => {
    const linkId = await requestLink('9900');
    const simulated = await service.app.inject({
      method: 'POST',
      url: '/v1/sandbox/banks/9900/authentications',
      headers: { authorization: `Bearer ${token}` },
      payload: { linkId, scenario: 'success' },
    });
    expect(simulated.json().webhook.status).toBe(204);
    await eventually(async () => expect((await linkStatus(linkId)).status).toBe('active'));

    const operator = await service.token('sandbox-operator');
    const outbox = await service.app.inject({
      method: 'GET',
      url: `/v1/sandbox/notifications?linkId=${linkId}`,
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(outbox.statusCode).toBe(200);
    const [notification] = outbox.json().items;
    expect(notification).toMatchObject({
      linkId,
      channel: 'email',
      recipient: expect.stringMatching(/^c\*\*\*@sandbox-bank\.example$/),
    });
    expect(notification.text).toContain('口座連携の手続きが行われました');
    expect(notification.text).toContain('金融機関コード9900');
    expect(findLinks(`${notification.subject}\n${notification.text}`)).toEqual([]);
    // Sandbox Bank's customers are never really e-mailed.
    expect(
      inbox.received.some((received) => received.envelopeTo.some((to) => to.endsWith('@sandbox-bank.example'))),
    ).toBe(false);

    const asApp = await service.app.inject({
      method: 'GET',
      url: '/v1/sandbox/notifications',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(asApp.statusCode).toBe(403);
  });

  it('keeps the contacts the banks reported sealed: none is in plaintext anywhere in the database', async () => {
    const dump = await service.dumpDatabase();
    expect(dump).toContain('口座連携の手続きが行われました'); // the scan does read the sandbox outbox
    for (const secret of ['taro.at.bank', 'hanako.at.bank', '080-2222-3333', '8022223333', '@sandbox-bank.example>']) {
      expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
