import { randomUUID } from 'node:crypto';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { call, registerEndpoint, verified } from './support/webhooks-out';

jest.setTimeout(120_000);

let accountSeq = 0;
const freshAccount = () => String(1_000_000 + Math.floor(Math.random() * 1_200_000) * 7 + (accountSeq++ % 7));

/** Issue 11: "the app and the bank are told" of a block; the app by `actor.*` events, verified by the reference library. */
describe.each(STORES)('webhooks out: actor blocks told to the payment app, on %s', (store) => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService(store, { processes: 'running', env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    app = await service.token();
    operator = await service.token('sandbox-operator');
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  /** A link request from the device, then Sandbox Bank says its authentication failed (a wrong PIN). */
  const failingAttempt = async (device: string) => {
    const created = await call(service, app, 'POST', '/v1/links', {
      ...aLinkRequest({ number: freshAccount() }),
      device: { id: device },
    });
    expect(created.statusCode).toBe(201);
    const failed = await service.sendBankEvent({
      type: 'authentication.failed',
      data: { linkId: created.json().id, reason: 'wrong PIN' },
    });
    expect([204, 409]).toContain(failed.statusCode);
  };

  const actorEvents = (path: string) =>
    receiver.at(path).filter((request) => String(JSON.parse(request.body).type).startsWith('actor.'));

  it("tells the app whose device was blocked, and of the lift, as the operators' view shows the block; nobody else", async () => {
    const paths = { app: `/app-${randomUUID()}`, other: `/other-${randomUUID()}`, bank: `/bank-${randomUUID()}` };
    const endpoint = await registerEndpoint(service, app, receiver.url(paths.app), {
      eventTypes: ['actor.blocked', 'actor.block_lifted'],
    });
    const other = await service.paymentAppToken(`other-app-${randomUUID().slice(0, 8)}`);
    const otherEndpoint = await registerEndpoint(service, other, receiver.url(paths.other));
    const bank = await clientToken(service, 'bank-9900', 'bank');
    await registerEndpoint(service, bank, receiver.url(paths.bank));

    const device = `attacker-${randomUUID()}`;
    for (let i = 0; i < 3; i++) await failingAttempt(device);

    const [blockedRequest] = await eventually(async () => {
      const received = actorEvents(paths.app);
      expect(received).toHaveLength(1);
      return received;
    });
    const blocked = verified(endpoint.secret, blockedRequest as never);
    expect(blocked).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'actor.blocked' });
    expect(blockedRequest?.headers['webhook-id']).toBe(blocked.id);
    const listed = (await call(service, operator, 'GET', '/v1/admin/actor-blocks?active=true')).json();
    const view = listed.items.find((block: { actor: { key: string } }) => block.actor.key === device);
    expect(view).toBeDefined();
    expect(blocked.data).toEqual(view);
    expect(blocked.data).toEqual({
      id: expect.stringMatching(/^blk_/),
      actor: { kind: 'device', paymentAppId: 'sandbox-app', key: device },
      blockedAt: expect.any(String),
      until: expect.any(String),
      reason: 'too_many_accounts_failed',
      accountsTried: 3,
    });

    const lift = await call(service, operator, 'DELETE', `/v1/admin/actor-blocks/${view.id}`, {
      reason: 'verified by phone',
    });
    expect(lift.statusCode).toBe(200);
    const [, liftedRequest] = await eventually(async () => {
      const received = actorEvents(paths.app);
      expect(received).toHaveLength(2);
      return received;
    });
    const lifted = verified(endpoint.secret, liftedRequest as never);
    expect(lifted.type).toBe('actor.block_lifted');
    expect(lifted.id).not.toBe(blocked.id);
    const afterLift = (await call(service, operator, 'GET', '/v1/admin/actor-blocks')).json();
    expect(lifted.data).toEqual(afterLift.items.find((block: { id: string }) => block.id === view.id));
    expect(lifted.data).toMatchObject({ id: view.id, liftReason: 'verified by phone', liftedAt: expect.any(String) });

    // The same events for polling, with the same ids; subscribable like any type.
    const polled = (
      await call(service, app, 'GET', '/v1/events?type=actor.blocked,actor.block_lifted&limit=100')
    ).json();
    const ofThisBlock = polled.items.filter((event: { data: { id: string } }) => event.data.id === view.id);
    expect(ofThisBlock.map((event: { id: string; type: string }) => [event.type, event.id])).toEqual([
      ['actor.blocked', blocked.id],
      ['actor.block_lifted', lifted.id],
    ]);

    // Another app and the bank hear nothing of the actor (the bank learns of the rejected links by their events).
    for (const token of [other, bank]) {
      const theirs = (await call(service, token, 'GET', '/v1/events?type=actor.blocked,actor.block_lifted')).json();
      expect(theirs.items).toEqual([]);
    }
    expect(actorEvents(paths.other)).toEqual([]);
    expect(actorEvents(paths.bank)).toEqual([]);
    const otherLog = (await call(service, other, 'GET', `/v1/webhook-endpoints/${otherEndpoint.id}/deliveries`)).json();
    expect(otherLog.items).toEqual([]);
  });

  it('takes actor.blocked and actor.block_lifted as subscribable types, and refuses unknown ones', async () => {
    const ok = await call(service, app, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url(`/types-${randomUUID()}`),
      eventTypes: ['actor.blocked'],
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().eventTypes).toEqual(['actor.blocked']);
    const bad = await call(service, app, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url(`/types-${randomUUID()}`),
      eventTypes: ['actor.unblocked'],
    });
    expect(bad.statusCode).toBe(400);
    const spec = (await service.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.components.schemas.WebhookEventType.enum).toEqual(
      expect.arrayContaining(['actor.blocked', 'actor.block_lifted']),
    );
  });
});
