import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { type ServiceUnderTest, startService } from './support/service-under-test';

describe('the sandbox of API.md, on the embedded default', () => {
  let service: ServiceUnderTest;
  let token: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', { processes: 'running' });
    token = await service.token();
  });
  afterAll(async () => {
    await service?.close();
  });

  const authorised = { authorization: '' };
  const post = (url: string, payload: object) =>
    service.app.inject({ method: 'POST', url, headers: { ...authorised, authorization: `Bearer ${token}` }, payload });

  async function requestLink(): Promise<string> {
    const response = await post('/v1/links', {
      customer: { reference: `user-${randomUUID()}` },
      ekyc: {
        method: 'jpki',
        verifiedAt: '2026-11-20T10:00:00Z',
        name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
        birthDate: '1990-01-02',
        phone: '090-1234-5678',
      },
      bankAccount: {
        bankCode: '9900',
        branchCode: '001',
        type: 'ordinary',
        number: String(1_000_000 + Math.floor(Math.random() * 8_999_999)),
      },
      device: { id: `device-${randomUUID()}` },
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }

  it.each([
    // The service tells the customer (sandbox outbox) and, with no cooling-off, the link becomes active.
    ['success', 'active', undefined],
    ['pin_only', 'rejected', 'weak_bank_authentication'],
    ['kyc_mismatch', 'rejected', 'kyc_mismatch'],
    ['failure', 'rejected', 'bank_authentication_failed'],
  ])('the simulated bank answers %s with a signed webhook: the link becomes %s', async (scenario, status, reason) => {
    const linkId = await requestLink();
    const simulated = await post('/v1/sandbox/banks/9900/authentications', { linkId, scenario });
    expect(simulated.statusCode).toBe(200);
    expect(simulated.json().webhook.status).toBe(204);

    await eventually(async () => {
      const link = await service.app.inject({
        method: 'GET',
        url: `/v1/links/${linkId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(link.json()).toMatchObject({ status, ...(reason ? { reason } : {}) });
    });
  });

  it('refuses an unknown scenario and an unknown link', async () => {
    const unknownScenario = await post('/v1/sandbox/banks/9900/authentications', {
      linkId: 'lnk_x',
      scenario: 'maybe',
    });
    expect(unknownScenario.statusCode).toBe(400);
    expect(unknownScenario.json().code).toBe('validation_failed');
    const unknownLink = await post('/v1/sandbox/banks/9900/authentications', {
      linkId: 'lnk_nope',
      scenario: 'success',
    });
    expect(unknownLink.statusCode).toBe(404);
    expect(unknownLink.json().code).toBe('link_not_found');
  });

  describe('POST /v1/sandbox/banks/9900/webhooks: any bank webhook, signed by Sandbox Bank', () => {
    const linkView = async (linkId: string) =>
      (
        await service.app.inject({
          method: 'GET',
          url: `/v1/links/${linkId}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();

    it('sends the webhook through the public endpoint: a revocation at the bank revokes the active link', async () => {
      const linkId = await requestLink();
      await post('/v1/sandbox/banks/9900/authentications', { linkId, scenario: 'success' });
      await eventually(async () => expect((await linkView(linkId)).status).toBe('active'));

      const sent = await post('/v1/sandbox/banks/9900/webhooks', {
        type: 'link.revoked',
        data: { linkId, reason: 'the customer revoked it at the bank' },
      });
      expect(sent.statusCode).toBe(200);
      expect(sent.json()).toEqual({
        webhook: { id: expect.stringMatching(/^msg_/), type: 'link.revoked', status: 204 },
      });
      await eventually(async () => expect((await linkView(linkId)).status).toBe('revoked'));
      expect(await service.eventTypesOf(`link-${linkId}`)).toContain('LinkRevoked');
    });

    it('takes an operator token too, and a fraud report sets off the fraud rule', async () => {
      const operator = await service.token('sandbox-operator');
      const linkId = await requestLink();
      const sent = await service.app.inject({
        method: 'POST',
        url: '/v1/sandbox/banks/9900/webhooks',
        headers: { authorization: `Bearer ${operator}` },
        payload: { type: 'fraud.reported', data: { linkId, reason: 'the customer reports an unknown link' } },
      });
      expect(sent.statusCode).toBe(200);
      expect(sent.json().webhook.status).toBe(204);
      expect(await service.eventTypesOf(`link-${linkId}`)).toContain('FraudReported');
    });

    it('passes on the endpoint’s answer to a webhook it refuses: malformed data, a link in no state for it', async () => {
      const linkId = await requestLink();
      const malformed = await post('/v1/sandbox/banks/9900/webhooks', { type: 'link.revoked', data: { linkId } });
      expect(malformed.statusCode).toBe(200);
      expect(malformed.json()).toMatchObject({
        webhook: { type: 'link.revoked', status: 400 },
        problem: { code: 'validation_failed' },
      });
      const tooEarly = await post('/v1/sandbox/banks/9900/webhooks', {
        type: 'customer.confirmed',
        data: { linkId, at: '2026-11-20T10:00:00Z' },
      });
      expect(tooEarly.json().webhook.status).toBe(409);
      expect((await linkView(linkId)).status).toBe('awaiting_bank_authentication');
    });

    it('sends device.reauthenticated too: the re-binding the app asked for binds the link to the new device (R9)', async () => {
      const linkId = await requestLink();
      await post('/v1/sandbox/banks/9900/authentications', { linkId, scenario: 'success' });
      await eventually(async () => expect((await linkView(linkId)).status).toBe('active'));
      const data = {
        linkId,
        deviceId: 'device-new',
        methods: ['pki', 'pin'],
        authenticatedAt: new Date().toISOString(),
      };
      const unasked = await post('/v1/sandbox/banks/9900/webhooks', { type: 'device.reauthenticated', data });
      expect(unasked.json()).toMatchObject({
        webhook: { status: 409 },
        problem: { code: 'device_rebinding_not_pending' },
      });

      expect((await post(`/v1/links/${linkId}/device-rebinding`, { device: { id: 'device-new' } })).statusCode).toBe(
        200,
      );
      const sent = await post('/v1/sandbox/banks/9900/webhooks', { type: 'device.reauthenticated', data });
      expect(sent.json()).toEqual({
        webhook: { id: expect.stringMatching(/^msg_/), type: 'device.reauthenticated', status: 204 },
      });
      await eventually(async () => expect((await linkView(linkId)).boundDeviceId).toBe('device-new'));
    });

    it.each([
      ['an unknown type', { type: 'link.teleported', data: {} }],
      ['no data', { type: 'link.revoked' }],
      ['data that is not an object', { type: 'link.revoked', data: 'lnk_x' }],
    ])('refuses %s with 400 validation_failed, sending nothing', async (_case, payload) => {
      const before = await service.countRows('webhook_receipts');
      const refused = await post('/v1/sandbox/banks/9900/webhooks', payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.json().code).toBe('validation_failed');
      expect(await service.countRows('webhook_receipts')).toBe(before);
    });

    it('is refused without a token', async () => {
      const anonymous = await service.app.inject({
        method: 'POST',
        url: '/v1/sandbox/banks/9900/webhooks',
        payload: { type: 'link.revoked', data: { linkId: 'lnk_x', reason: 'x' } },
      });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});
