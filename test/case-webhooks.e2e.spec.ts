import { randomUUID } from 'node:crypto';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';
import { type ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';
import { anActiveLink, call, registerEndpoint, verified } from './support/webhooks-out';

const FAST_DELIVERY = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: '300',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1',
};

const ofCase = (requests: readonly ReceivedWebhook[], caseId: string) =>
  requests.filter((request) => (JSON.parse(request.body) as { data: { id: string } }).data.id === caseId);

/** API.md "Webhooks out": `case.opened`, `case.updated`, `case.decided` to both parties, signed, with the case view. */
describe.each(STORES)('case webhooks to the app and the bank, on %s', (store) => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;
  let bank: string;
  const paths = { app: `/app-${randomUUID()}`, bank: `/bank-${randomUUID()}` };
  const secrets = { app: '', bank: '' };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService(store, { processes: 'running', env: FAST_DELIVERY });
    app = await service.token();
    bank = await clientToken(service, 'bank-9900', 'bank');
    secrets.app = (await registerEndpoint(service, app, receiver.url(paths.app))).secret;
    secrets.bank = (
      await registerEndpoint(service, bank, receiver.url(paths.bank), {
        eventTypes: ['case.opened', 'case.updated', 'case.decided'],
      })
    ).secret;
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  it('tells both parties of the opening, every change and the decision, without the note text', async () => {
    const linkId = await anActiveLink(service, app);
    const text = `Note-${randomUUID()}`;
    const opened = await call(service, app, 'POST', '/v1/cases', { linkId, category: 'other', summary: 'twice' });
    expect(opened.statusCode).toBe(201);
    const caseId = opened.json().id as string;
    await call(service, bank, 'POST', `/v1/cases/${caseId}/notes`, { text });
    await call(service, bank, 'POST', `/v1/cases/${caseId}/decision`, { outcome: 'rejected' });
    await call(service, app, 'POST', `/v1/cases/${caseId}/agreement`);

    for (const [path, secret] of [
      [paths.app, secrets.app],
      [paths.bank, secrets.bank],
    ] as const) {
      const told = await eventually(async () => {
        const mine = ofCase(receiver.at(path), caseId);
        expect(mine).toHaveLength(4);
        return mine;
      });
      const payloads = told.map((request) => verified(secret, request));
      expect(payloads.map((payload) => payload.type)).toEqual([
        'case.opened',
        'case.updated',
        'case.updated',
        'case.decided',
      ]);
      expect(payloads[0]?.data).toMatchObject({ id: caseId, status: 'open', linkId, bankCode: '9900' });
      expect(payloads[2]?.data).toMatchObject({ status: 'awaiting_agreement' });
      expect(payloads[3]?.data).toMatchObject({
        status: 'decided',
        decision: { outcome: 'rejected', agreedBy: 'payment_app' },
      });
      for (const request of told) expect(request.body).not.toContain(text);
    }
  });
});
