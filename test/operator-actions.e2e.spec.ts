import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

describe('operators acting on links (R6, R7), on the embedded default', () => {
  let service: ServiceUnderTest;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', { processes: 'running' });
    app = await service.token();
    operator = await service.token('sandbox-operator');
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    service.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload } : {}),
    });

  async function anActiveLink(): Promise<string> {
    const created = await call('POST', '/v1/links', app, aLinkRequest());
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', app, { linkId: id, scenario: 'success' });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`, app)).json().status).toBe('active'));
    return id;
  }

  const statusOf = async (id: string) => (await call('GET', `/v1/links/${id}`, app)).json().status;

  it('suspends every active link of a bank at once and reinstates them', async () => {
    const links = [await anActiveLink(), await anActiveLink()];

    const suspended = await call('POST', '/v1/admin/banks/9900/links/suspension', operator, {
      reason: 'weakness found at the bank',
    });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().changed).toBeGreaterThanOrEqual(2);
    for (const id of links) await eventually(async () => expect(await statusOf(id)).toBe('suspended'));

    const reinstated = await call('DELETE', '/v1/admin/banks/9900/links/suspension', operator);
    expect(reinstated.statusCode).toBe(200);
    expect(reinstated.json().refused).toEqual([]);
    for (const id of links) await eventually(async () => expect(await statusOf(id)).toBe('active'));
  });

  it('suspends and reinstates one link, and revokes it with the operator recorded', async () => {
    const id = await anActiveLink();
    expect(
      (await call('POST', `/v1/admin/links/${id}/suspension`, operator, { reason: 'case 42' })).json().status,
    ).toBe('suspended');
    expect((await call('DELETE', `/v1/admin/links/${id}/suspension`, operator)).json().status).toBe('active');

    const revoked = await call('POST', `/v1/admin/links/${id}/revocation`, operator, { reason: 'fraud confirmed' });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      reason: 'revoked_by_operator',
      reasonDetail: 'fraud confirmed',
    });
  });

  it('refuses what the state does not allow, unknown links, and callers who are not operators', async () => {
    const id = await anActiveLink();
    const notSuspended = await call('DELETE', `/v1/admin/links/${id}/suspension`, operator);
    expect(notSuspended.statusCode).toBe(200); // reinstating an active link is a harmless repeat
    expect(notSuspended.json().status).toBe('active');

    const unknown = await call('POST', '/v1/admin/links/lnk_nope/revocation', operator, { reason: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('link_not_found');

    const noReason = await call('POST', `/v1/admin/links/${id}/revocation`, operator, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('validation_failed');

    const byApp = await call('POST', `/v1/admin/links/${id}/revocation`, app, { reason: 'x' });
    expect(byApp.statusCode).toBe(403);
    expect(await statusOf(id)).toBe('active');
  });
});
