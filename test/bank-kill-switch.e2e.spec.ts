import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { aLinkRequest } from './support/link-request';

import { EKYC_ADDRESS as ADDRESS } from './support/link-request';

describe.each(STORES)('the kill switch of a bank (R7), on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;
  let bankSecret: string;

  beforeAll(async () => {
    service = await startService(store);
    app = await service.token();
    operator = await service.token('sandbox-operator');
    bankSecret = await service.registerBank('0008', {
      customerNotifiedBy: 'service',
      coolingOffMinutes: 0,
      customerConfirmationRequired: false,
      phishingResistantFactorRequired: false,
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const suspend = (bankCode: string, payload: object, token = operator) =>
    service.app.inject({
      method: 'POST',
      url: `/v1/admin/banks/${bankCode}/suspension`,
      headers: as(token),
      payload,
    });
  const lift = (bankCode: string, token = operator) =>
    service.app.inject({
      method: 'DELETE',
      url: `/v1/admin/banks/${bankCode}/suspension`,
      headers: { authorization: `Bearer ${token}` },
    });
  const requestLink = () =>
    service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: as(app),
      payload: aLinkRequest({ bankCode: '0008' }),
    });

  it('refuses new links to a suspended bank with 422 bank_suspended, and takes them again once lifted', async () => {
    const pulled = await suspend('0008', { reason: 'reverse brute force on PIN logins' });
    expect(pulled.statusCode).toBe(200);
    expect(pulled.json()).toMatchObject({
      bankCode: '0008',
      suspended: true,
      reason: 'reverse brute force on PIN logins',
    });

    const refused = await requestLink();
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('bank_suspended');

    const lifted = await lift('0008');
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ bankCode: '0008', suspended: false });
    expect((await requestLink()).statusCode).toBe(201);
  });

  it('rejects a link whose bank answers after the switch was pulled', async () => {
    const link = (await requestLink()).json();
    expect((await suspend('0008', { reason: 'weakness found' })).statusCode).toBe(200);
    const webhook = await service.sendBankEvent(
      {
        type: 'authentication.succeeded',
        data: {
          linkId: link.id,
          methods: ['password', 'otp_sms'],
          holder: {
            name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' },
            birthDate: '1990-01-02',
            phone: '09012345678',
            address: ADDRESS,
          },
          contact: { email: 'taro@example.jp' },
          authenticatedAt: new Date().toISOString(),
        },
      },
      { bankCode: '0008', secret: bankSecret },
    );
    expect(webhook.statusCode).toBe(204);
    const view = await service.app.inject({ method: 'GET', url: `/v1/links/${link.id}`, headers: as(app) });
    expect(view.json()).toMatchObject({ status: 'rejected', reason: 'bank_suspended' });
    expect((await lift('0008')).statusCode).toBe(200);
  });

  it('keeps who pulled and lifted the switch, and why, as events', async () => {
    await suspend('0008', { reason: 'audit trail check' });
    await lift('0008');
    const types = await service.eventTypesOf('bank-registry-0008');
    expect(types.slice(-2)).toEqual(['BankSuspended', 'BankSuspensionLifted']);
  });

  it('is for operators only, needs a reason, and knows only registered banks', async () => {
    expect((await suspend('0008', { reason: 'x' }, app)).statusCode).toBe(403);
    expect((await lift('0008', app)).statusCode).toBe(403);
    const blank = await suspend('0008', { reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().code).toBe('validation_failed');
    expect((await suspend('0008', {})).statusCode).toBe(400);
    const unknown = await suspend('0042', { reason: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('unknown_bank');
    expect((await lift('0042')).statusCode).toBe(404);
  });
});
