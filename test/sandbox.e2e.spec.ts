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
      device: { id: 'device-abc' },
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
});
