import { randomUUID } from 'node:crypto';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { anActiveLink, call, ofLink, registerEndpoint, verified } from './support/webhooks-out';

const FAST_DELIVERY = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: '300',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1',
};
const NO_LIMITS = { perDebit: null, daily: null, monthly: null };

/**
 * Customer-set limits (API.md "Limits (R10)") over HTTP: the app lowers at once, a raise waits for the
 * customer's confirmation at the bank (its `limits.confirmed` webhook, sent by Sandbox Bank), the bank sets
 * limits itself (`limits.updated`), and apps and banks are told (`link.limits_changed`).
 */
describe.each(STORES)('limits of a link (R10), on %s', (store) => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService(store, { processes: 'running', env: FAST_DELIVERY });
    app = await service.token();
    operator = await service.token('sandbox-operator');
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  const limitsOf = (linkId: string, token = app) => call(service, token, 'GET', `/v1/links/${linkId}/limits`);
  const putLimits = (linkId: string, body: unknown, token = app) =>
    call(service, token, 'PUT', `/v1/links/${linkId}/limits`, body);
  const changed = async (linkId: string, body: unknown) => {
    const response = await putLimits(linkId, body);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  /** Sandbox Bank signs and sends a webhook; what its endpoint answered. */
  const sandboxBankSends = async (type: string, data: object) => {
    const sent = await call(service, app, 'POST', '/v1/sandbox/banks/9900/webhooks', { type, data });
    expect(sent.statusCode).toBe(200);
    return sent.json() as { webhook: { status: number }; problem?: { code: string } };
  };
  const linkEventsOf = (linkId: string) => service.eventTypesOf(`link-${linkId}`);

  it('shows no limits on a new active link, and lowers one at once: PUT answers it, GET and the link view show it', async () => {
    const linkId = await anActiveLink(service, app);
    const before = await limitsOf(linkId);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual(NO_LIMITS);

    expect(await changed(linkId, { daily: 20_000 })).toEqual({ ...NO_LIMITS, daily: 20_000 });
    expect(await changed(linkId, { perDebit: 5_000, monthly: 100_000 })).toEqual({
      perDebit: 5_000,
      daily: 20_000,
      monthly: 100_000,
    });

    const read = await limitsOf(linkId);
    expect(read.json()).toEqual({ perDebit: 5_000, daily: 20_000, monthly: 100_000 });
    expect((await call(service, app, 'GET', `/v1/links/${linkId}`)).json()).toMatchObject({
      status: 'active',
      limits: { perDebit: 5_000, daily: 20_000, monthly: 100_000 },
    });
    expect((await linkEventsOf(linkId)).filter((type) => type.startsWith('LinkLimit'))).toEqual([
      'LinkLimitsChanged',
      'LinkLimitsChanged',
    ]);
  });

  it("keeps a raise pending until the bank's limits.confirmed (through the sandbox), then puts it in force", async () => {
    const linkId = await anActiveLink(service, app);
    await changed(linkId, { perDebit: 10_000, daily: 30_000 });

    // Lowers perDebit, removes daily (a raise): the lower is in force, the whole target pending.
    const asked = await changed(linkId, { perDebit: 8_000, daily: null });
    expect(asked).toEqual({
      perDebit: 8_000,
      daily: 30_000,
      monthly: null,
      pending: { perDebit: 8_000, daily: null, monthly: null },
    });
    expect((await limitsOf(linkId)).json()).toEqual(asked);
    // The same request again changes nothing.
    const eventsBefore = await linkEventsOf(linkId);
    expect(await changed(linkId, { perDebit: 8_000, daily: null })).toEqual(asked);
    expect(await linkEventsOf(linkId)).toEqual(eventsBefore);

    const confirmed = await sandboxBankSends('limits.confirmed', { linkId });
    expect(confirmed.webhook.status).toBe(204);
    const inForce = { perDebit: 8_000, daily: null, monthly: null };
    await eventually(async () => expect((await limitsOf(linkId)).json()).toEqual(inForce));
    expect((await linkEventsOf(linkId)).slice(-1)).toEqual(['LinkLimitsChanged']);

    // Nothing is pending any more: a second confirmation is refused and changes nothing.
    const again = await sandboxBankSends('limits.confirmed', { linkId });
    expect(again.webhook.status).toBe(409);
    expect(again.problem?.code).toBe('no_pending_limits');
    expect((await limitsOf(linkId)).json()).toEqual(inForce);
  });

  it('lets a new change replace a pending raise, and one asking for the limits in force withdraw it', async () => {
    const linkId = await anActiveLink(service, app);
    await changed(linkId, { monthly: 50_000 });
    expect((await changed(linkId, { monthly: 80_000 })).pending).toEqual({ ...NO_LIMITS, monthly: 80_000 });
    expect((await changed(linkId, { monthly: 90_000 })).pending).toEqual({ ...NO_LIMITS, monthly: 90_000 });
    expect(await changed(linkId, { monthly: 50_000 })).toEqual({ ...NO_LIMITS, monthly: 50_000 });
    const confirmed = await sandboxBankSends('limits.confirmed', { linkId });
    expect(confirmed.problem?.code).toBe('no_pending_limits');
  });

  it('puts the limits the bank sets (limits.updated) in force at once; a repeated webhook-id has no second effect', async () => {
    const linkId = await anActiveLink(service, app);
    await changed(linkId, { perDebit: 10_000 });

    const id = `msg_${randomUUID()}`;
    const body = { type: 'limits.updated', data: { linkId, perDebit: 50_000, daily: 100_000 } };
    expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
    const set = { perDebit: 50_000, daily: 100_000, monthly: null };
    await eventually(async () => expect((await limitsOf(linkId)).json()).toEqual(set));
    const eventsAfter = await linkEventsOf(linkId);

    // The same webhook again, and then with a lower perDebit under the same id: acknowledged, no effect.
    expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
    const sameId = { type: 'limits.updated', data: { linkId, perDebit: 1_000 } };
    expect((await service.sendBankEvent(sameId, { id })).statusCode).toBe(204);
    expect(await linkEventsOf(linkId)).toEqual(eventsAfter);
    expect((await limitsOf(linkId)).json()).toEqual(set);

    // Through the sandbox too, lowering and removing.
    const sent = await sandboxBankSends('limits.updated', { linkId, perDebit: 2_000, daily: null });
    expect(sent.webhook.status).toBe(204);
    await eventually(async () =>
      expect((await limitsOf(linkId)).json()).toEqual({ perDebit: 2_000, daily: null, monthly: null }),
    );
  });

  it.each([
    ['a negative amount', { perDebit: -1 }],
    ['zero', { daily: 0 }],
    ['a fraction', { monthly: 1000.5 }],
    ['a huge amount', { perDebit: 1e13 }],
    ['a string', { daily: '5000' }],
    ['a boolean', { monthly: true }],
    ['an object', { perDebit: { yen: 1 } }],
    ['an unknown field', { weekly: 1000 }],
    ['a good field beside a bad one', { perDebit: 1000, daily: -5 }],
    ['an array', [{ perDebit: 1000 }]],
    ['a bare number', 1000],
  ])('answers %s with 400 validation_failed (problem+json) and changes nothing', async (_name, body) => {
    const linkId = await anActiveLink(service, app);
    await changed(linkId, { perDebit: 3_000 });
    const eventsBefore = await linkEventsOf(linkId);

    const response = await putLimits(linkId, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await linkEventsOf(linkId)).toEqual(eventsBefore);
    expect((await limitsOf(linkId)).json()).toEqual({ ...NO_LIMITS, perDebit: 3_000 });
  });

  it('refuses a body that is not JSON, and a bank webhook with a bad amount, changing nothing', async () => {
    const linkId = await anActiveLink(service, app);
    const eventsBefore = await linkEventsOf(linkId);
    const text = await service.app.inject({
      method: 'PUT',
      url: `/v1/links/${linkId}/limits`,
      headers: { authorization: `Bearer ${app}`, 'content-type': 'text/plain' },
      payload: 'perDebit=1000',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('unsupported_media_type');

    const bad = await service.sendBankEvent({ type: 'limits.updated', data: { linkId, perDebit: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed' });
    expect(await linkEventsOf(linkId)).toEqual(eventsBefore);
    expect((await limitsOf(linkId)).json()).toEqual(NO_LIMITS);
  });

  it("answers another app's link and an unknown link with 404, and a link that is not active with 422 link_not_active", async () => {
    const linkId = await anActiveLink(service, app);
    const other = await service.paymentAppToken(`other-app-${randomUUID().slice(0, 8)}`);
    for (const response of [
      await limitsOf(linkId, other),
      await putLimits(linkId, { daily: 1 }, other),
      await limitsOf('lnk_doesnotexist0000000000'),
      await putLimits('not-a-link-id', { daily: 1 }),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('link_not_found');
    }
    expect((await limitsOf(linkId)).json()).toEqual(NO_LIMITS);

    const pending = (await call(service, app, 'POST', '/v1/links', aLinkRequest())).json().id as string;
    for (const response of [await limitsOf(pending), await putLimits(pending, { daily: 1_000 })]) {
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('link_not_active');
    }
    const bank = await sandboxBankSends('limits.updated', { linkId: pending, daily: 1_000 });
    expect(bank.webhook.status).toBe(409);
    expect(bank.problem?.code).toBe('link_not_in_expected_state');
    expect((await linkEventsOf(pending)).some((type) => type.startsWith('LinkLimit'))).toBe(false);
  });

  it('lowers the limits of a suspended link but refuses to raise them', async () => {
    const linkId = await anActiveLink(service, app);
    await changed(linkId, { daily: 10_000 });
    const suspended = await call(service, operator, 'POST', `/v1/admin/links/${linkId}/suspension`, {
      reason: 'investigation',
    });
    expect(suspended.statusCode).toBe(200);

    expect(await changed(linkId, { daily: 5_000 })).toEqual({ ...NO_LIMITS, daily: 5_000 });
    const raise = await putLimits(linkId, { daily: 50_000 });
    expect(raise.statusCode).toBe(422);
    expect(raise.json().code).toBe('link_not_active');
    expect((await limitsOf(linkId)).json()).toEqual({ ...NO_LIMITS, daily: 5_000 });
  });

  it('tells the app link.limits_changed, signed, with the link view as data, and its bank with the bank view', async () => {
    const appPath = `/app-${randomUUID()}`;
    const bankPath = `/bank-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(appPath), {
      eventTypes: ['link.limits_changed'],
    });
    const bankToken = await clientToken(service, 'bank-9900', 'bank');
    await registerEndpoint(service, bankToken, receiver.url(bankPath), { eventTypes: ['link.limits_changed'] });

    const linkId = await anActiveLink(service, app);
    await changed(linkId, { perDebit: 7_000 });
    await changed(linkId, { perDebit: 9_000 });

    const [lowered, raised] = await eventually(async () => {
      const mine = ofLink(receiver.at(appPath), linkId);
      expect(mine).toHaveLength(2);
      return mine.map((request) => verified(endpoint.secret, request));
    });
    expect(lowered?.type).toBe('link.limits_changed');
    expect(lowered?.data).toMatchObject({ id: linkId, status: 'active', limits: { ...NO_LIMITS, perDebit: 7_000 } });
    expect(raised?.data.limits).toEqual({
      ...NO_LIMITS,
      perDebit: 7_000,
      pending: { ...NO_LIMITS, perDebit: 9_000 },
    });
    const { signals: _signals, ...view } = (await call(service, app, 'GET', `/v1/links/${linkId}`)).json();
    expect(raised?.data).toEqual(view);

    const toBank = await eventually(async () => {
      const mine = ofLink(receiver.at(bankPath), linkId);
      expect(mine).toHaveLength(2);
      return mine.map((request) => JSON.parse(request.body));
    });
    expect(toBank[1]).toMatchObject({
      type: 'link.limits_changed',
      data: { id: linkId, paymentApp: { id: 'sandbox-app' }, limits: { pending: { perDebit: 9_000 } } },
    });
    expect(toBank[1].data.customer).toBeUndefined();
  });

  it("shows a bank policy's initialLimits as initialPeriodUntil on links activated under it", async () => {
    const read = await call(service, operator, 'GET', '/v1/admin/banks/9900');
    expect(read.statusCode).toBe(200);
    const { name, policy } = read.json();
    const withInitial = { ...policy, initialLimits: { perDebit: 10_000, daily: 30_000, days: 7 } };
    expect(
      (await call(service, operator, 'PUT', '/v1/admin/banks/9900', { name, policy: withInitial })).statusCode,
    ).toBe(200);
    try {
      const linkId = await anActiveLink(service, app);
      const { activatedAt } = (await call(service, app, 'GET', `/v1/links/${linkId}`)).json();
      const limits = (await limitsOf(linkId)).json();
      expect(limits).toEqual({
        ...NO_LIMITS,
        initialPeriodUntil: new Date(Date.parse(activatedAt) + 7 * 24 * 60 * 60 * 1000).toISOString(),
        initialLimits: { perDebit: 10_000, daily: 30_000 },
      });
      // The customer's own limits change beside them; the initial period stays.
      expect(await changed(linkId, { perDebit: 20_000 })).toEqual({ ...limits, perDebit: 20_000 });
    } finally {
      await call(service, operator, 'PUT', '/v1/admin/banks/9900', { name, policy });
    }
  });
});
