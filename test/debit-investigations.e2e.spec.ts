import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

/**
 * Issue "Investigators: a link's history includes its debits", over HTTP with the whole service and its worker:
 * `GET /v1/investigations/links/{id}/events` carries the link's debit and spending streams' events as
 * `debitEvents`, in global order, while its own events and its state as of a time stay the link's.
 */
describe.each(STORES)("a link's debits in its investigated history, on %s", (store) => {
  let service: ServiceUnderTest;
  let app: string;

  beforeAll(async () => {
    service = await startService(store, { processes: 'running' });
    app = await service.token();
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
  const anActiveLink = async (): Promise<{ id: string; device: string }> => {
    const device = `device-${randomUUID()}`;
    const created = await call('POST', '/v1/links', { payload: aLinkRequest({ device }) });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', '/v1/sandbox/banks/9900/authentications', { payload: { linkId: id, scenario: 'success' } });
    await eventually(async () => expect((await call('GET', `/v1/links/${id}`)).json().status).toBe('active'));
    return { id, device };
  };
  const debit = (linkId: string, body: object) => call('POST', `/v1/links/${linkId}/debits`, { payload: body });
  const aDebit = (device: string, amount = 5000) => ({
    amount,
    currency: 'JPY',
    reference: `charge-${randomUUID()}`,
    device: { id: device, ipAddress: '203.0.113.7' },
  });

  it("shows investigators a link's debits in its history, refused ones too, in global order; its state as of now is the link's", async () => {
    const investigator = await service.token('sandbox-investigator');
    const investigate = (url: string) =>
      call('GET', url, {
        bearer: investigator,
        headers: { 'x-investigation-case': `CASE-${randomUUID().slice(0, 8)}` },
      });
    const { id, device } = await anActiveLink();
    const untouched = await anActiveLink();
    const settledDebit = (await debit(id, aDebit(device, 1000))).json();
    const refused = (await debit(id, aDebit('someone-elses-phone'))).json();
    expect(refused.code).toBe('device_not_bound');
    const failedDebit = (await debit(id, aDebit(device, 2000))).json();
    const settledAt = new Date().toISOString();
    await service.sendBankEvent({ type: 'debit.settled', data: { debitId: settledDebit.id, settledAt } });
    await service.sendBankEvent({
      type: 'debit.failed',
      data: { debitId: failedDebit.id, reason: 'insufficient_funds' },
    });
    await eventually(async () => expect(await service.eventTypesOf(`spending-${id}`)).toHaveLength(3));

    const history = await eventually(async () => {
      const response = await investigate(`/v1/investigations/links/${id}/events`);
      expect(response.statusCode).toBe(200);
      // The refused debit is found through the debits read model, which follows the log.
      expect(response.json().debitEvents).toHaveLength(8);
      return response.json();
    });
    expect(
      history.debitEvents.map((event: { streamName: string; type: string }) => [event.streamName, event.type]),
    ).toEqual([
      [`spending-${id}`, 'DebitAmountReserved'],
      [`debit-${settledDebit.id}`, 'DebitAuthorised'],
      [`debit-${refused.debitId}`, 'DebitRefused'],
      [`spending-${id}`, 'DebitAmountReserved'],
      [`debit-${failedDebit.id}`, 'DebitAuthorised'],
      [`debit-${settledDebit.id}`, 'DebitSettled'],
      [`debit-${failedDebit.id}`, 'DebitFailed'],
      [`spending-${id}`, 'DebitAmountReleased'],
    ]);
    const checkpoints = history.debitEvents.map((event: { checkpoint: string }) => event.checkpoint);
    expect([...checkpoints].sort()).toEqual(checkpoints);
    expect(new Set(checkpoints).size).toBe(checkpoints.length);
    expect(history.debitEvents[2]).toMatchObject({
      revision: 0,
      data: { debitId: refused.debitId, linkId: id, code: 'device_not_bound' },
      metadata: { actor: { type: 'payment_app', id: 'sandbox-app' } },
    });
    // The link's own events stay as they were: its stream, in its order.
    expect(history.events.map((event: { type: string }) => event.type)).toEqual(
      await service.eventTypesOf(`link-${id}`),
    );
    expect(history.events.map((event: { revision: number }) => event.revision)).toEqual(
      history.events.map((_: unknown, index: number) => index),
    );
    expect((await investigate(`/v1/investigations/links/${untouched.id}/events`)).json().debitEvents).toEqual([]);

    const asOf = await investigate(
      `/v1/investigations/links/${id}/state?at=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(asOf.statusCode).toBe(200);
    expect(asOf.json()).toMatchObject({ linkId: id, status: 'active', revision: history.events.length - 1 });
  });
});
