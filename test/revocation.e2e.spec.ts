import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

/** R6: every party can end a link, and the link says who did and why. */
describe('revocation by each party, on the embedded default', () => {
  let service: ServiceUnderTest;
  let app: string;
  let coolingOffBankSecret: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', { processes: 'running' });
    app = await service.token();
    // A bank whose policy gives the customer an hour to object after being told.
    coolingOffBankSecret = await service.registerBank('0009', {
      customerNotifiedBy: 'bank',
      coolingOffMinutes: 60,
      customerConfirmationRequired: false,
      phishingResistantFactorRequired: false,
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${app}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload } : {}),
    });
  const linkOf = async (id: string) => (await call('GET', `/v1/links/${id}`)).json();

  async function anActiveSandboxLink(): Promise<string> {
    const id = (await call('POST', '/v1/links', aLinkRequest())).json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { linkId: id, scenario: 'success' });
    await eventually(async () => expect((await linkOf(id)).status).toBe('active'));
    return id;
  }

  it('the bank revokes a link when the customer asks it to', async () => {
    const id = await anActiveSandboxLink();
    const webhook = await service.sendBankEvent({
      type: 'link.revoked',
      data: { linkId: id, reason: 'customer called' },
    });
    expect(webhook.statusCode).toBe(204);
    expect(await linkOf(id)).toMatchObject({ status: 'revoked', reason: 'revoked_by_customer' });
    expect((await linkOf(id)).reasonDetail).toContain('customer called');
  });

  it('the customer objects during cooling-off, through their bank, and the link never becomes active', async () => {
    const id = (await call('POST', '/v1/links', aLinkRequest({ bankCode: '0009' }))).json().id as string;
    const authenticated = await service.sendBankEvent(
      {
        type: 'authentication.succeeded',
        data: {
          linkId: id,
          methods: ['password', 'otp_app'],
          holder: { name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, birthDate: '1990-01-02', phone: '09012345678' },
          contact: { phone: '+819012345678' },
          authenticatedAt: new Date().toISOString(),
        },
      },
      { bankCode: '0009', secret: coolingOffBankSecret },
    );
    expect(authenticated.statusCode).toBe(204);
    const delivered = await service.sendBankEvent(
      { type: 'notification.delivered', data: { linkId: id, channel: 'sms', deliveredAt: new Date().toISOString() } },
      { bankCode: '0009', secret: coolingOffBankSecret },
    );
    expect(delivered.statusCode).toBe(204);
    expect((await linkOf(id)).status).toBe('cooling_off');

    const objected = await service.sendBankEvent(
      { type: 'customer.objected', data: { linkId: id, at: new Date().toISOString() } },
      { bankCode: '0009', secret: coolingOffBankSecret },
    );
    expect(objected.statusCode).toBe(204);
    expect(await linkOf(id)).toMatchObject({ status: 'revoked', reason: 'revoked_by_customer' });
  });

  it('the app revokes its own link', async () => {
    const id = await anActiveSandboxLink();
    const revoked = await call('POST', `/v1/links/${id}/revocation`, { reason: 'user closed the wallet' });
    expect(revoked.json()).toMatchObject({ status: 'revoked', reason: 'revoked_by_payment_app' });
  });
});
