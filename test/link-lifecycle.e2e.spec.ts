import { randomUUID } from 'node:crypto';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { aLinkRequest } from './support/link-request';

/** What Sandbox Bank holds for the customer: Zengin-style half-width kana. */
const bankHolder = {
  name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' },
  birthDate: '1990-01-02',
  phone: '09012345678',
};

describe.each(STORES)('a link from request to the bank’s answer, on %s', (store) => {
  let service: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    service = await startService(store);
    token = await service.token();
  });
  afterAll(async () => {
    await service?.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    service.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload: payload as object,
    });
  const get = (url: string) =>
    service.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('requests a link, then a signed webhook with strong authentication and matching KYC moves it on', async () => {
    const created = await post('/v1/links', aLinkRequest({ number: '1234567' }), { 'idempotency-key': randomUUID() });
    expect(created.statusCode).toBe(201);
    const link = created.json();
    expect(link).toMatchObject({
      status: 'awaiting_bank_authentication',
      bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', last4: '4567' },
    });
    expect(link.id).toMatch(/^lnk_/);
    expect(JSON.stringify(link)).not.toContain('1234567');

    const webhook = await service.sendBankEvent({
      type: 'authentication.succeeded',
      data: {
        linkId: link.id,
        methods: ['password', 'otp_sms'],
        holder: bankHolder,
        contact: { email: 'taro@example.jp' },
        authenticatedAt: new Date().toISOString(),
      },
    });
    expect(webhook.statusCode).toBe(204);

    const after = await get(`/v1/links/${link.id}`);
    expect(after.statusCode).toBe(200);
    expect(after.json().status).toBe('notifying_customer');
  });

  it('rejects pin + birth date as weak bank authentication, whatever the bank says', async () => {
    const link = (await post('/v1/links', aLinkRequest())).json();
    const webhook = await service.sendBankEvent({
      type: 'authentication.succeeded',
      data: {
        linkId: link.id,
        methods: ['pin', 'birth_date'],
        holder: bankHolder,
        contact: { phone: '+819012345678' },
        authenticatedAt: new Date().toISOString(),
      },
    });
    expect(webhook.statusCode).toBe(204);
    expect((await get(`/v1/links/${link.id}`)).json()).toMatchObject({
      status: 'rejected',
      reason: 'weak_bank_authentication',
    });
  });

  it('rejects a KYC mismatch and says so on the link', async () => {
    const link = (await post('/v1/links', aLinkRequest())).json();
    await service.sendBankEvent({
      type: 'authentication.succeeded',
      data: {
        linkId: link.id,
        methods: ['password', 'otp_app'],
        holder: { ...bankHolder, name: { kanji: '山田 次郎', kana: 'ﾔﾏﾀﾞ ｼﾞﾛｳ' }, birthDate: '1991-03-04' },
        contact: { phone: '+819012345678' },
        authenticatedAt: new Date().toISOString(),
      },
    });
    expect((await get(`/v1/links/${link.id}`)).json()).toMatchObject({ status: 'rejected', reason: 'kyc_mismatch' });
  });

  it('locks the account after five failed bank authentications: the next request is refused with account_locked', async () => {
    const number = '7654321';
    for (let attempt = 0; attempt < 5; attempt++) {
      const link = (await post('/v1/links', aLinkRequest({ number }))).json();
      expect(link.status).toBe('awaiting_bank_authentication');
      const failed = await service.sendBankEvent({
        type: 'authentication.failed',
        data: { linkId: link.id, reason: 'wrong password' },
      });
      expect(failed.statusCode).toBe(204);
    }
    const refused = await post('/v1/links', aLinkRequest({ number }));
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'account_locked' });
  });

  it('allows one open link per app and account: a second request is refused while the first is open', async () => {
    const number = '2345678';
    expect((await post('/v1/links', aLinkRequest({ number }))).statusCode).toBe(201);
    const second = await post('/v1/links', aLinkRequest({ number }));
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('link_already_in_progress');
  });

  it('lets the app revoke its link', async () => {
    const link = (await post('/v1/links', aLinkRequest())).json();
    const revoked = await post(`/v1/links/${link.id}/revocation`, { reason: 'user asked' });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', reason: 'revoked_by_payment_app' });
  });

  it('keeps no personal data in plaintext anywhere in the database', async () => {
    const marker = 'ﾏｰｶｰ';
    const request = aLinkRequest({ number: '8765432' });
    const ekyc = request.ekyc as Record<string, unknown>;
    Object.assign(ekyc, { name: { kanji: '鈴木 花子', kana: `スズキ ハナコ` }, phone: '080-9999-1111' });
    const link = (await post('/v1/links', request, { 'idempotency-key': randomUUID() })).json();
    await service.sendBankEvent({
      type: 'authentication.succeeded',
      data: {
        linkId: link.id,
        methods: ['password', 'otp_sms'],
        holder: {
          name: { kanji: '鈴木 花子', kana: `ｽｽﾞｷ ﾊﾅｺ${marker}` },
          birthDate: '1990-01-02',
          phone: '08099991111',
        },
        contact: { email: 'hanako.secret@example.jp', phone: '+818099991111' },
        authenticatedAt: new Date().toISOString(),
      },
    });
    const dump = await service.dumpDatabase();
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(link.id); // the scan does read the store
    for (const secret of [
      '8765432',
      '鈴木',
      'スズキ',
      'ｽｽﾞｷ',
      marker,
      '1990-01-02',
      '080-9999-1111',
      '8099991111',
      'hanako.secret',
      '千代田区',
    ]) {
      expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
