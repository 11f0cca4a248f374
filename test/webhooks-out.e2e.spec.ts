import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { anActiveLink, call, ofLink, registerEndpoint, verified } from './support/webhooks-out';

// The timeout is short enough for the slow receiver's test and long enough that a loaded CI machine's first
// attempt at a prompt receiver does not run out (at 300 ms one did, and the log showed attempt 2).
const FAST_DELIVERY = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: '1500',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1',
};

describe.each(STORES)('webhooks out: signed events to apps and banks, on %s', (store) => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService(store, { processes: 'running', env: FAST_DELIVERY });
    app = await service.token();
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  it('delivers link.notifying_customer and link.activated, signed (checked by the reference library), carrying the link view', async () => {
    const path = `/app-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(path), { description: 'main' });
    expect(endpoint).toMatchObject({ id: expect.stringMatching(/^whe_/), status: 'enabled', eventTypes: [] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const linkId = await anActiveLink(service, app);
    const received = await eventually(async () => {
      const mine = ofLink(receiver.at(path), linkId);
      expect(mine.map((request) => JSON.parse(request.body).type)).toEqual(
        expect.arrayContaining(['link.notifying_customer', 'link.activated']),
      );
      return mine;
    });
    const activated = received
      .map((request) => verified(endpoint.secret, request))
      .find((e) => e.type === 'link.activated');
    // The link view as GET shows it, but for the reader's signals (of the moment it is read, not of the event).
    const { signals: _signals, ...view } = (await call(service, app, 'GET', `/v1/links/${linkId}`)).json();
    expect(activated?.data).toEqual(view);
    const request = received.find((r) => JSON.parse(r.body).type === 'link.activated');
    expect(request?.headers['webhook-id']).toBe(activated?.id);
    expect(activated?.id).toMatch(/^evt_/);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        request?.body ?? '',
        request?.headers as Record<string, string>,
      ),
    ).toThrow();

    // The same events, in order, for polling.
    const events = (
      await call(service, app, 'GET', '/v1/events?type=link.activated,link.notifying_customer&limit=100')
    ).json();
    const ofThisLink = events.items.filter((event: { data: { id: string } }) => event.data.id === linkId);
    expect(ofThisLink.map((event: { type: string }) => event.type)).toEqual([
      'link.notifying_customer',
      'link.activated',
    ]);
    expect(ofThisLink[1].id).toBe(activated?.id);
    const after = (await call(service, app, 'GET', `/v1/events?after=${events.nextCursor}`)).json();
    expect(after.items.filter((event: { data: { id: string } }) => event.data.id === linkId)).toEqual([]);

    const log = await eventually(async () => {
      const page = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
      expect(page.items.length).toBeGreaterThanOrEqual(2);
      return page;
    });
    expect(log.items[0]).toEqual({
      eventId: expect.stringMatching(/^evt_/),
      attempt: 1,
      status: 'succeeded',
      responseCode: 204,
      durationMs: expect.any(Number),
      at: expect.any(String),
    });

    // The secret is shown once and never readable back: not in the endpoint, not in the database.
    const read = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}`)).json();
    expect(read).toEqual({
      id: endpoint.id,
      url: receiver.url(path),
      eventTypes: [],
      description: 'main',
      status: 'enabled',
      createdAt: expect.any(String),
      disabledAt: null,
    });
    expect(await service.dumpDatabase()).not.toContain(endpoint.secret.slice('whsec_'.length));
    expect((await call(service, app, 'GET', '/v1/webhook-endpoints')).json().items).toEqual(
      expect.arrayContaining([read]),
    );
  });

  it('tells an app only of its own links, and a bank only of links to its accounts, in the bank view', async () => {
    const other = await service.paymentAppToken(`other-app-${randomUUID().slice(0, 8)}`);
    const bank = await clientToken(service, 'bank-9900', 'bank');
    const otherBank = await clientToken(service, 'bank-0005', 'bank');
    const paths = { other: `/other-${randomUUID()}`, bank: `/bank-${randomUUID()}`, otherBank: `/b5-${randomUUID()}` };
    await registerEndpoint(service, other, receiver.url(paths.other));
    const bankEndpoint = await registerEndpoint(service, bank, receiver.url(paths.bank), {
      eventTypes: ['link.activated'],
    });
    await registerEndpoint(service, otherBank, receiver.url(paths.otherBank));

    const linkId = await anActiveLink(service, app);
    const [told] = await eventually(async () => {
      const mine = ofLink(receiver.at(paths.bank), linkId);
      expect(mine).toHaveLength(1);
      return mine;
    });
    const event = verified(bankEndpoint.secret, told as never);
    expect(event.type).toBe('link.activated');
    expect(event.data).toMatchObject({ id: linkId, status: 'active', paymentApp: { id: 'sandbox-app' } });
    expect(event.data.customer).toBeUndefined();
    expect(event.data.device).toBeUndefined();
    // The app's event and the bank's are two events: each has its own id.
    const appEvents = (await call(service, app, 'GET', '/v1/events?type=link.activated&limit=100')).json().items;
    expect(appEvents.map((e: { id: string }) => e.id)).not.toContain(event.id);
    const bankEvents = (await call(service, bank, 'GET', '/v1/events?limit=100')).json().items;
    expect(bankEvents.map((e: { id: string }) => e.id)).toContain(event.id);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ofLink(receiver.at(paths.other), linkId)).toEqual([]);
    expect(ofLink(receiver.at(paths.otherBank), linkId)).toEqual([]);
    expect((await call(service, other, 'GET', '/v1/events?limit=100')).json().items).toEqual([]);
    expect((await call(service, otherBank, 'GET', '/v1/events?limit=100')).json().items).toEqual([]);
  });

  it('retries after a 500 with the same webhook-id, and records both attempts', async () => {
    const path = `/flaky-${randomUUID()}`;
    receiver.answer(path, (nth) => ({ status: nth === 1 ? 500 : 200 }));
    const endpoint = await registerEndpoint(service, app, receiver.url(path), { eventTypes: ['link.activated'] });
    await anActiveLink(service, app);
    const [first, second] = await eventually(async () => {
      expect(receiver.at(path)).toHaveLength(2);
      return receiver.at(path);
    });
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    expect(verified(endpoint.secret, second as never).id).toBe(second?.headers['webhook-id']);
    const log = await eventually(async () => {
      const page = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
      expect(page.items).toHaveLength(2);
      return page;
    });
    expect(
      log.items.map((item: { attempt: number; status: string; responseCode: number }) => [
        item.attempt,
        item.status,
        item.responseCode,
      ]),
    ).toEqual([
      [2, 'succeeded', 200],
      [1, 'failed', 500],
    ]);
  });

  it('gives up on a receiver that does not answer within the timeout, without holding up another endpoint', async () => {
    const slow = `/slow-${randomUUID()}`;
    const fast = `/fast-${randomUUID()}`;
    receiver.answer(slow, () => ({ status: 200, delayMs: 5_000 }));
    const slowEndpoint = await registerEndpoint(service, app, receiver.url(slow));
    await registerEndpoint(service, app, receiver.url(fast));
    const linkId = await anActiveLink(service, app);
    await eventually(async () => expect(ofLink(receiver.at(fast), linkId)).toHaveLength(2));
    const log = await eventually(async () => {
      const page = (await call(service, app, 'GET', `/v1/webhook-endpoints/${slowEndpoint.id}/deliveries`)).json();
      expect(page.items.length).toBeGreaterThanOrEqual(1);
      return page;
    });
    expect(log.items.at(-1)).toMatchObject({ attempt: 1, status: 'failed', responseCode: null });
    expect(log.items.at(-1).durationMs).toBeGreaterThanOrEqual(1_400);
    expect(log.items.at(-1).durationMs).toBeLessThan(4_500);
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const path = `/rotated-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(path), { eventTypes: ['link.activated'] });
    const rotated = await call(service, app, 'POST', `/v1/webhook-endpoints/${endpoint.id}/secret-rotation`);
    expect(rotated.statusCode).toBe(200);
    const { secret } = rotated.json();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);
    await anActiveLink(service, app);
    const [request] = await eventually(async () => {
      expect(receiver.at(path)).toHaveLength(1);
      return receiver.at(path);
    });
    const signatures = String(request?.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures.every((signature) => signature.startsWith('v1,'))).toBe(true);
    expect(verified(secret, request as never).type).toBe('link.activated');
    expect(verified(endpoint.secret, request as never).type).toBe('link.activated');
  });

  it('replays a window of events under the same ids', async () => {
    const path = `/replayed-${randomUUID()}`;
    const since = new Date(Date.now() - 1_000).toISOString();
    const endpoint = await registerEndpoint(service, app, receiver.url(path));
    const linkId = await anActiveLink(service, app);
    const firstIds = await eventually(async () => {
      const mine = ofLink(receiver.at(path), linkId);
      expect(mine).toHaveLength(2);
      return mine.map((request) => request.headers['webhook-id']);
    });
    const replay = await call(service, app, 'POST', `/v1/webhook-endpoints/${endpoint.id}/replays`, { since });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ replayId: expect.stringMatching(/^rpl_/), deliveries: expect.any(Number) });
    await eventually(async () => expect(ofLink(receiver.at(path), linkId)).toHaveLength(4));
    const all = ofLink(receiver.at(path), linkId).map((request) => request.headers['webhook-id']);
    expect(new Set(all)).toEqual(new Set(firstIds));
    for (const request of ofLink(receiver.at(path), linkId)) verified(endpoint.secret, request);
  });

  it('sends nothing more to a deleted endpoint, and forgets it', async () => {
    const path = `/deleted-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(path));
    expect((await call(service, app, 'DELETE', `/v1/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(204);
    expect((await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(404);
    expect((await call(service, app, 'DELETE', `/v1/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(404);
    await anActiveLink(service, app);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at(path)).toEqual([]);
    expect(await service.eventTypesOf(`webhook-endpoint-${endpoint.id}`)).toEqual([
      'WebhookEndpointRegistered',
      'WebhookEndpointDeleted',
    ]);
  });
});
