import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

/**
 * API.md "Evidence, policy replay, erasure": an investigator asks which links would fail a stricter policy;
 * a background job judges each link's recorded facts and lists them with the codes; no link changes.
 */
describe.each(STORES)('policy replay over HTTP, on %s', (store) => {
  let service: ServiceUnderTest;
  let app: string;
  let investigator: string;
  const caseId = `case-${randomUUID()}`;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
    investigator = await service.token('sandbox-investigator');
  });
  afterAll(async () => {
    await service?.close();
  });

  const call = (
    method: 'GET' | 'POST',
    url: string,
    options: { bearer?: string; payload?: object; headers?: Record<string, string> } = {},
  ) =>
    service.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${options.bearer ?? app}`,
        ...(options.payload ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const asInvestigator = (method: 'GET' | 'POST', url: string, payload?: object) =>
    call(method, url, {
      bearer: investigator,
      headers: { 'x-investigation-case': caseId },
      ...(payload ? { payload } : {}),
    });

  const anActiveLink = async (ekycMethod = 'jpki'): Promise<string> => {
    const request = aLinkRequest();
    const created = await call('POST', '/v1/links', {
      payload: { ...request, ekyc: { ...request.ekyc, method: ekycMethod } },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    // The sandbox bank's `success`: password + OTP, two factor kinds, not phishing-resistant.
    await call('POST', '/v1/sandbox/banks/9900/authentications', { payload: { linkId: id, scenario: 'success' } });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    return id;
  };

  const replayToTheEnd = async (body: object) => {
    const started = await asInvestigator('POST', '/v1/investigations/policy-replays', body);
    expect(started.statusCode).toBe(202);
    const { id } = started.json() as { id: string };
    expect(id).toEqual(expect.any(String));
    let view: Record<string, unknown> = {};
    await eventually(async () => {
      const read = await asInvestigator('GET', `/v1/investigations/policy-replays/${id}`);
      expect(read.statusCode).toBe(200);
      view = read.json();
      expect(view.status).toBe('done');
    }, 20_000);
    return {
      id,
      view: view as {
        status: string;
        progress: { linksChecked: number; linksTotal: number };
        items: { linkId: string; wouldFail: string[] }[];
      },
    };
  };

  it('lists the active links resting on a factor that is not phishing-resistant, and changes none', async () => {
    const links = [await anActiveLink(), await anActiveLink('ic_chip_read')];
    const before = await Promise.all(links.map((id) => service.eventTypesOf(`link-${id}`)));

    const { view } = await replayToTheEnd({ policy: { requirePhishingResistant: true }, statuses: ['active'] });

    for (const linkId of links) {
      expect(view.items).toContainEqual({
        linkId,
        wouldFail: ['weak_bank_authentication', 'phishing_resistant_factor_required'],
      });
    }
    expect(view.progress.linksChecked).toBe(view.progress.linksTotal);
    expect(view.progress.linksTotal).toBeGreaterThanOrEqual(links.length);
    expect(await Promise.all(links.map((id) => service.eventTypesOf(`link-${id}`)))).toEqual(before);
  });

  it('lists the links whose eKYC method the policy no longer allows, and only those', async () => {
    const jpki = await anActiveLink('jpki');
    const chip = await anActiveLink('ic_chip_read');
    const before = await service.eventTypesOf(`link-${jpki}`);

    const { view } = await replayToTheEnd({ policy: { allowedEkycMethods: ['ic_chip_read'] } });

    expect(view.items).toContainEqual({ linkId: jpki, wouldFail: ['ekyc_method_not_allowed'] });
    expect(view.items.map((item) => item.linkId)).not.toContain(chip);
    expect(await service.eventTypesOf(`link-${jpki}`)).toEqual(before);
    expect((await call('GET', `/v1/links/${jpki}`)).json().status).toBe('active');
  });

  it('passes links that meet the policy: the default rules and the KYC rule they matched under', async () => {
    const id = await anActiveLink();
    const { view } = await replayToTheEnd({
      policy: { minFactorKinds: 2, kycRule: { allOf: ['birthDate', 'nameKana'], anyOf: [['phone', 'address']] } },
    });
    expect(view.items.map((item) => item.linkId)).not.toContain(id);
  });

  it('records starting and reading a replay as audited investigator reads', async () => {
    const { id } = await replayToTheEnd({ policy: { requirePhishingResistant: true } });
    const events = await service.app.get<EventStore>(EVENT_STORE).readStream('audit-investigations');
    const reads = events
      .filter((event) => event.type === 'InvestigationRecordRead')
      .map((event) => event.data as { caseId: string; read: { record: string; replayId?: string } });
    expect(reads).toContainEqual(
      expect.objectContaining({
        caseId,
        read: {
          record: 'policy_replay',
          replayId: id,
          policy: { requirePhishingResistant: true },
          statuses: ['active'],
        },
      }),
    );
    expect(reads).toContainEqual(expect.objectContaining({ caseId, read: { record: 'policy_replay', replayId: id } }));
  });

  it.each([
    ['no policy', {}],
    ['a policy that is not an object', { policy: 'strict' }],
    ['an unknown policy field', { policy: { requireMagic: true } }],
    ['a bad eKYC list', { policy: { allowedEkycMethods: 'jpki' } }],
    ['a bad cut-off date', { policy: { photoIdAllowedUntil: 'next spring' } }],
    ['a bad factor count', { policy: { minFactorKinds: 7 } }],
    ['a bad KYC rule', { policy: { kycRule: { allOf: ['shoeSize'], anyOf: [] } } }],
    ['bad KYC groups', { policy: { kycRule: { allOf: [], anyOf: ['phone'] } } }],
    ['an unknown status', { policy: {}, statuses: ['happy'] }],
    ['an empty status list', { policy: {}, statuses: [] }],
  ])('refuses %s with 400 problem+json', async (_, body) => {
    const refused = await asInvestigator('POST', '/v1/investigations/policy-replays', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('refuses a replay without X-Investigation-Case (400), and to an app (403)', async () => {
    const body = { policy: { requirePhishingResistant: true } };
    const noCase = await call('POST', '/v1/investigations/policy-replays', { bearer: investigator, payload: body });
    expect(noCase.statusCode).toBe(400);
    expect(noCase.headers['content-type']).toContain('application/problem+json');
    const noCaseRead = await call('GET', `/v1/investigations/policy-replays/prp_${randomUUID()}`, {
      bearer: investigator,
    });
    expect(noCaseRead.statusCode).toBe(400);
    const asApp = await call('POST', '/v1/investigations/policy-replays', {
      payload: body,
      headers: { 'x-investigation-case': caseId },
    });
    expect(asApp.statusCode).toBe(403);
  });

  it('answers 404 problem+json for an unknown replay', async () => {
    const unknown = await asInvestigator('GET', `/v1/investigations/policy-replays/prp_${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ code: 'policy_replay_not_found' });
  });
});
