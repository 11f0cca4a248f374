import { randomUUID } from 'node:crypto';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { type ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';
import { call, registerEndpoint, verified } from './support/webhooks-out';

const FAST_DELIVERY = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: '300',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1',
};

/** The received deliveries of one debit, in order of arrival. */
const ofDebit = (requests: readonly ReceivedWebhook[], debitId: string) =>
  requests.filter((request) => (JSON.parse(request.body) as { data: { id: string } }).data.id === debitId);

/**
 * API.md "Webhooks out" for debits, over HTTP with the whole service and its worker: the app of the link and the
 * bank of its account are told of each debit with the debit view, signed (checked by the reference library).
 */
describe.each(STORES)('debit webhooks to the app and the bank, on %s', (store) => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;
  let bank: string;
  let other: string;
  const paths = { app: `/app-${randomUUID()}`, bank: `/bank-${randomUUID()}`, other: `/other-${randomUUID()}` };
  const secrets = { app: '', bank: '' };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService(store, { processes: 'running', env: FAST_DELIVERY });
    app = await service.token();
    bank = await clientToken(service, 'bank-9900', 'bank');
    other = await service.paymentAppToken(`other-app-${randomUUID().slice(0, 8)}`);
    secrets.app = (await registerEndpoint(service, app, receiver.url(paths.app))).secret;
    secrets.bank = (
      await registerEndpoint(service, bank, receiver.url(paths.bank), {
        eventTypes: ['debit.authorised', 'debit.refused', 'debit.settled', 'debit.failed', 'debit.expired'],
      })
    ).secret;
    await registerEndpoint(service, other, receiver.url(paths.other));
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  const anActiveLink = async (): Promise<{ id: string; device: string }> => {
    const device = `device-${randomUUID()}`;
    const created = await call(service, app, 'POST', '/v1/links', aLinkRequest({ device }));
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call(service, app, 'POST', '/v1/sandbox/banks/9900/authentications', { linkId: id, scenario: 'success' });
    await eventually(async () =>
      expect((await call(service, app, 'GET', `/v1/links/${id}`)).json().status).toBe('active'),
    );
    return { id, device };
  };
  const aDebit = (device: string, amount = 5000) => ({
    amount,
    currency: 'JPY',
    reference: `charge-${randomUUID()}`,
    device: { id: device, ipAddress: '203.0.113.7' },
  });
  const told = (path: string, debitId: string, count: number) =>
    eventually(async () => {
      const mine = ofDebit(receiver.at(path), debitId);
      expect(mine).toHaveLength(count);
      return mine;
    });

  it('tells the app and the bank of an authorised debit, then of its settlement, each with the debit view then', async () => {
    const { id, device } = await anActiveLink();
    const created = await call(service, app, 'POST', `/v1/links/${id}/debits`, aDebit(device));
    expect(created.statusCode).toBe(201);
    const authorised = created.json();
    const settledAt = new Date().toISOString();
    await eventually(async () => {
      const seen = await told(paths.app, authorised.id, 1);
      expect(verified(secrets.app, seen[0] as ReceivedWebhook).type).toBe('debit.authorised');
    });
    const reported = await service.sendBankEvent({
      type: 'debit.settled',
      data: { debitId: authorised.id, settledAt },
    });
    expect(reported.statusCode).toBe(204);

    const settled = await eventually(async () => {
      const page = (await call(service, app, 'GET', `/v1/links/${id}/debits`)).json();
      expect(page.items[0]).toMatchObject({ id: authorised.id, status: 'settled' });
      return page.items[0];
    });
    for (const [path, secret] of [
      [paths.app, secrets.app],
      [paths.bank, secrets.bank],
    ] as const) {
      const events = (await told(path, authorised.id, 2)).map((request) => verified(secret, request));
      expect(events.map((event) => event.type)).toEqual(['debit.authorised', 'debit.settled']);
      expect(events[0]?.data).toEqual(authorised);
      expect(events[1]?.data).toEqual(settled);
      expect(events[1]?.data).toMatchObject({ status: 'settled', settledAt });
      for (const request of ofDebit(receiver.at(path), authorised.id)) {
        expect(request.headers['webhook-id']).toMatch(/^evt_/);
      }
    }
    // One event per audience: the app's and the bank's have ids of their own.
    const appIds = ofDebit(receiver.at(paths.app), authorised.id).map((r) => r.headers['webhook-id']);
    const bankIds = ofDebit(receiver.at(paths.bank), authorised.id).map((r) => r.headers['webhook-id']);
    expect(appIds.filter((eventId) => bankIds.includes(eventId))).toEqual([]);

    // The same events, in order, for polling: the app's and the bank's.
    for (const [token, ids] of [
      [app, appIds],
      [bank, bankIds],
    ] as const) {
      const page = (
        await call(service, token, 'GET', '/v1/events?type=debit.authorised,debit.settled&limit=100')
      ).json();
      const ofThis = page.items.filter((event: { data: { id: string } }) => event.data.id === authorised.id);
      expect(ofThis.map((event: { id: string; type: string }) => [event.id, event.type])).toEqual([
        [ids[0], 'debit.authorised'],
        [ids[1], 'debit.settled'],
      ]);
    }
  });

  it('tells a refused debit as debit.refused, with its code, to the app and the bank', async () => {
    const { id } = await anActiveLink();
    const refused = await call(service, app, 'POST', `/v1/links/${id}/debits`, aDebit('someone-elses-phone'));
    expect(refused.statusCode).toBe(422);
    const { debitId } = refused.json();
    for (const [path, secret] of [
      [paths.app, secrets.app],
      [paths.bank, secrets.bank],
    ] as const) {
      const [event] = (await told(path, debitId, 1)).map((request) => verified(secret, request));
      expect(event).toMatchObject({
        type: 'debit.refused',
        data: {
          id: debitId,
          linkId: id,
          status: 'refused',
          reason: 'device_not_bound',
          deviceId: 'someone-elses-phone',
        },
      });
    }
  });

  it("tells another app nothing of this app's debits", async () => {
    const { id, device } = await anActiveLink();
    const authorised = (await call(service, app, 'POST', `/v1/links/${id}/debits`, aDebit(device))).json();
    await told(paths.app, authorised.id, 1);
    await told(paths.bank, authorised.id, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at(paths.other)).toEqual([]);
    const page = (await call(service, other, 'GET', '/v1/events?limit=100')).json();
    expect(page.items).toEqual([]);
  });
});
