import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { call, ofLink, registerEndpoint, verified } from './support/webhooks-out';

const FAST_DELIVERY = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '1000' };
const URL_LIKE = /https?:|www\.|\.(com|jp|example|net|org)\b/i;

/**
 * R9 over HTTP (API.md "Device binding"): the app asks, Sandbox Bank re-authenticates the customer with a signed
 * `device.reauthenticated`, and only then is the link bound to the new device; the customer is told at the
 * contact registered at the bank, and apps and banks get `link.device_rebound`.
 */
describe.each(STORES)('device re-binding over HTTP, on %s', (store) => {
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

  const linkOf = async (id: string, token = app) => (await call(service, token, 'GET', `/v1/links/${id}`)).json();
  const rebind = (id: string, body: unknown, token = app, key?: string) =>
    service.app.inject({
      method: 'POST',
      url: `/v1/links/${id}/device-rebinding`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      payload: JSON.stringify(body),
    });
  const reauthenticate = (linkId: string, deviceId: string, scenario: string, token = app) =>
    call(service, token, 'POST', '/v1/sandbox/banks/9900/reauthentications', { linkId, deviceId, scenario });
  const notificationsOf = async (linkId: string) =>
    (await call(service, operator, 'GET', `/v1/sandbox/notifications?linkId=${linkId}`)).json().items as {
      subject: string;
      text: string;
      recipient: string;
    }[];

  const anActiveLink = async (device = `device-${randomUUID()}`): Promise<string> => {
    const created = await call(service, app, 'POST', '/v1/links', aLinkRequest({ device }));
    expect(created.statusCode).toBe(201);
    const linkId = created.json().id as string;
    expect(
      (await call(service, app, 'POST', '/v1/sandbox/banks/9900/authentications', { linkId, scenario: 'success' }))
        .statusCode,
    ).toBe(200);
    await eventually(async () => expect((await linkOf(linkId)).status).toBe('active'));
    // The link notification was delivered: the one notice a re-binding adds comes after it.
    await eventually(async () => expect(await notificationsOf(linkId)).toHaveLength(1));
    return linkId;
  };

  it('binds the link to the new device only after the bank re-authenticated the customer, tells the customer and sends link.device_rebound', async () => {
    const path = `/app-${randomUUID()}`;
    const endpoint = await registerEndpoint(service, app, receiver.url(path), { eventTypes: ['link.device_rebound'] });
    const oldDevice = `device-${randomUUID()}`;
    const newDevice = `device-${randomUUID()}`;
    const linkId = await anActiveLink(oldDevice);

    const asked = await rebind(linkId, { device: { id: newDevice } }, app, randomUUID());
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({
      id: linkId,
      status: 'active',
      boundDeviceId: oldDevice,
      rebinding: { deviceId: newDevice, requestedAt: expect.any(String) },
    });
    // Pending: still bound to the old device, the GET view says the same as the POST.
    await eventually(async () =>
      expect(await linkOf(linkId)).toEqual({ ...asked.json(), signals: expect.any(Object) }),
    );

    const sent = await reauthenticate(linkId, newDevice, 'success');
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({
      scenario: 'success',
      webhook: { type: 'device.reauthenticated', status: 204 },
    });

    await eventually(async () => {
      const link = await linkOf(linkId);
      expect(link).toMatchObject({ status: 'active', boundDeviceId: newDevice });
      expect(link.rebinding).toBeUndefined();
    });

    // The customer is told at the contact the bank registered, in Japanese, with no URL.
    const notice = await eventually(async () => {
      const items = await notificationsOf(linkId);
      expect(items).toHaveLength(2);
      return items.find((item) => item.subject.includes('端末が変更されました'));
    });
    expect(notice?.text).toContain('端末が変更されました');
    expect(notice?.text).toContain('****');
    expect(notice?.recipient).toMatch(/@sandbox-bank\.example$/);
    expect(`${notice?.subject}\n${notice?.text}`).not.toMatch(URL_LIKE);

    // link.device_rebound reaches a real HTTP receiver, signed (checked by the reference library).
    const delivered = await eventually(async () => {
      const mine = ofLink(receiver.at(path), linkId);
      expect(mine).toHaveLength(1);
      return mine;
    });
    const event = verified(endpoint.secret, delivered[0]!);
    expect(event).toMatchObject({ type: 'link.device_rebound', data: { id: linkId, boundDeviceId: newDevice } });
    expect(event.data.rebinding).toBeUndefined();

    // The history keeps the request and the re-binding with its evidence.
    const investigator = await service.token('sandbox-investigator');
    const history = await service.app.inject({
      method: 'GET',
      url: `/v1/investigations/links/${linkId}/events`,
      headers: { authorization: `Bearer ${investigator}`, 'x-investigation-case': 'CASE-R9' },
    });
    expect(history.statusCode).toBe(200);
    const items = history.json().events as { type: string; data: Record<string, unknown> }[];
    expect(items.map((item) => item.type).slice(-2)).toEqual(['DeviceRebindingRequested', 'LinkDeviceRebound']);
    expect(items.at(-1)?.data).toMatchObject({
      deviceId: newDevice,
      previousDeviceId: oldDevice,
      methods: ['password', 'otp_app'],
      factorKinds: ['knowledge', 'possession'],
    });
  });

  it('refuses a knowledge-only re-authentication: the old device stays bound and nobody is told of a re-binding', async () => {
    const path = `/app-${randomUUID()}`;
    await registerEndpoint(service, app, receiver.url(path), { eventTypes: ['link.device_rebound'] });
    const oldDevice = `device-${randomUUID()}`;
    const newDevice = `device-${randomUUID()}`;
    const linkId = await anActiveLink(oldDevice);
    expect((await rebind(linkId, { device: { id: newDevice } })).statusCode).toBe(200);

    const sent = await reauthenticate(linkId, newDevice, 'pin_only', operator);
    expect(sent.json()).toMatchObject({ scenario: 'pin_only', webhook: { status: 204 } });

    await eventually(async () => {
      const link = await linkOf(linkId);
      expect(link.boundDeviceId).toBe(oldDevice);
      expect(link.rebinding).toBeUndefined();
    });
    expect((await service.eventTypesOf(`link-${linkId}`)).slice(-2)).toEqual([
      'DeviceRebindingRequested',
      'DeviceRebindingRefused',
    ]);
    // The bank's later answer for that device finds no pending request: 409, recorded, no change.
    const late = await reauthenticate(linkId, newDevice, 'success');
    expect(late.json()).toMatchObject({ webhook: { status: 409 }, problem: { code: 'device_rebinding_not_pending' } });
    expect((await linkOf(linkId)).boundDeviceId).toBe(oldDevice);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await notificationsOf(linkId)).toHaveLength(1);
    expect(ofLink(receiver.at(path), linkId)).toEqual([]);
  });

  it('gives a repeated webhook-id no second effect', async () => {
    const oldDevice = `device-${randomUUID()}`;
    const linkId = await anActiveLink(oldDevice);
    const first = `device-${randomUUID()}`;
    expect((await rebind(linkId, { device: { id: first } })).statusCode).toBe(200);
    const body = {
      type: 'device.reauthenticated',
      data: { linkId, deviceId: first, methods: ['password', 'otp_sms'], authenticatedAt: new Date().toISOString() },
    };
    const id = `msg_${randomUUID()}`;
    expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
    const events = await service.eventTypesOf(`link-${linkId}`);
    // A second re-binding is pending when the same message comes again: the repeat must not bind it.
    const second = `device-${randomUUID()}`;
    expect((await rebind(linkId, { device: { id: second } })).statusCode).toBe(200);
    expect((await service.sendBankEvent(body, { id })).statusCode).toBe(204);
    expect(await service.eventTypesOf(`link-${linkId}`)).toEqual([...events, 'DeviceRebindingRequested']);
    expect((await linkOf(linkId)).boundDeviceId).toBe(first);
  });

  it('replays a request with the same Idempotency-Key and changes nothing when the same device is asked again', async () => {
    const linkId = await anActiveLink();
    const device = `device-${randomUUID()}`;
    const key = randomUUID();
    const first = await rebind(linkId, { device: { id: device } }, app, key);
    const replay = await rebind(linkId, { device: { id: device } }, app, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const before = await service.eventTypesOf(`link-${linkId}`);
    const again = await rebind(linkId, { device: { id: device } });
    expect(again.json().rebinding).toEqual(first.json().rebinding);
    expect(await service.eventTypesOf(`link-${linkId}`)).toEqual(before);
  });

  describe('bad input: problem+json with a stable code, nothing changed', () => {
    let linkId: string;
    let boundDevice: string;
    beforeAll(async () => {
      boundDevice = `device-${randomUUID()}`;
      linkId = await anActiveLink(boundDevice);
    });

    const expectRefused = async (
      response: Awaited<ReturnType<typeof rebind>>,
      status: number,
      code: string,
      id = linkId,
    ) => {
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status, code });
      if (id === linkId) {
        expect(await service.eventTypesOf(`link-${linkId}`)).not.toContain('DeviceRebindingRequested');
      }
    };

    it.each([
      ['no device', {}],
      ['no device id', { device: {} }],
      ['a blank device id', { device: { id: '   ' } }],
      ['an empty device id', { device: { id: '' } }],
      ['a device id that is not a string', { device: { id: 42 } }],
      ['a device that is an array', { device: [] }],
      ['an unknown field', { device: { id: 'device-x' }, extra: true }],
    ])('refuses %s as validation_failed (400)', async (_what, body) => {
      await expectRefused(await rebind(linkId, body), 400, 'validation_failed');
    });

    it('refuses the device the link is bound to already as device_already_bound (409)', async () => {
      await expectRefused(await rebind(linkId, { device: { id: boundDevice } }), 409, 'device_already_bound');
    });

    it('answers 404 link_not_found for an unknown link, a malformed id and another app’s link', async () => {
      const other = await service.paymentAppToken(`other-app-${randomUUID().slice(0, 8)}`);
      await expectRefused(
        await rebind('lnk_unknown0000000000000000', { device: { id: 'd' } }),
        404,
        'link_not_found',
        'x',
      );
      await expectRefused(await rebind('not-a-link', { device: { id: 'd' } }), 404, 'link_not_found', 'x');
      await expectRefused(await rebind(linkId, { device: { id: 'device-thief' } }, other), 404, 'link_not_found');
    });

    it('refuses a link that is not active as link_not_active (422)', async () => {
      const created = await call(service, app, 'POST', '/v1/links', aLinkRequest());
      const pending = created.json().id as string;
      const response = await rebind(pending, { device: { id: 'device-new' } });
      await expectRefused(response, 422, 'link_not_active', pending);
      expect(await service.eventTypesOf(`link-${pending}`)).toEqual(['LinkRequested']);
    });

    it('answers a webhook for a device with no pending re-binding with 409, recording the refusal and changing nothing', async () => {
      const before = await service.eventTypesOf(`link-${linkId}`);
      const response = await service.sendBankEvent({
        type: 'device.reauthenticated',
        data: {
          linkId,
          deviceId: 'device-nobody-asked',
          methods: ['password', 'otp_sms'],
          authenticatedAt: new Date().toISOString(),
        },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'device_rebinding_not_pending' });
      expect(await service.eventTypesOf(`link-${linkId}`)).toEqual(before);
      expect(await service.eventTypesOf('bank-inbox-9900')).toContain('BankEventRefused');
    });

    it('refuses a malformed device.reauthenticated (400) and a simulator call for an unknown link (404)', async () => {
      const malformed = await service.sendBankEvent({
        type: 'device.reauthenticated',
        data: { linkId, deviceId: ' ', methods: ['telepathy'], authenticatedAt: 'yesterday' },
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().code).toBe('validation_failed');
      const unknown = await reauthenticate('lnk_unknown0000000000000000', 'device-x', 'success');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('link_not_found');
      const badScenario = await reauthenticate(linkId, 'device-x', 'telepathy');
      expect(badScenario.statusCode).toBe(400);
    });
  });
});
