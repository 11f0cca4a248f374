import { randomUUID } from 'node:crypto';
import { CLOCK } from '@lib/account-linking/application/ports/clock.port';
import {
  WEBHOOK_SENDER,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookSender,
} from '@lib/account-linking/application/webhooks-out/webhook-sender.port';
import { TestClock } from '@lib/account-linking/infrastructure/testing/process-harness';
import { GuardedHttpWebhookSender } from '@lib/account-linking/infrastructure/webhooks-out/guarded-http-webhook-sender';
import type { WebhookHostResolver } from '@lib/account-linking/infrastructure/webhooks-out/webhook-address-rules';
import { WEBHOOK_HOST_RESOLVER } from '@lib/account-linking/nest/webhooks-out.module';
import { clientToken } from './support/client-tokens';
import { eventually } from './support/eventually';
import { type ServiceUnderTest, startService } from './support/service-under-test';
import { WebhookReceiver } from './support/webhook-receiver';
import { anActiveLink, call, ofLink, registerEndpoint, verified } from './support/webhooks-out';

/** A DNS of the test's own: names point where the test says, and may be pointed elsewhere later (rebinding). */
class TestDns {
  readonly names = new Map<string, string>();
  readonly resolve: WebhookHostResolver = async (hostname) => {
    const address = this.names.get(hostname);
    if (!address) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

describe('webhooks out with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false: the address rules, on the embedded default', () => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  let app: string;
  const dns = new TestDns();

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService('embedded PGlite', {
      processes: 'running',
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_TIMEOUT_MS: '300' },
      override: (builder) => builder.overrideProvider(WEBHOOK_HOST_RESOLVER).useValue(dns.resolve),
    });
    app = await service.token();
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  it.each([
    ['plain http', 'http://hooks.example.com/x'],
    ['loopback', 'https://127.0.0.1/x'],
    ['loopback IPv6', 'https://[::1]/x'],
    ['IPv4 mapped into IPv6', 'https://[::ffff:127.0.0.1]/x'],
    ['a private network', 'https://10.1.2.3/x'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['localhost', 'https://localhost/x'],
    ['a name that resolves to the metadata address', 'https://metadata.test/x'],
    ['a name that resolves to a private address', 'https://intranet.test/x'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/x'],
  ])('refuses %s at registration (422 webhook_url_not_allowed), storing nothing', async (_what, url) => {
    dns.names.set('metadata.test', '169.254.169.254');
    dns.names.set('intranet.test', '192.168.1.20');
    const before = await service.countRows('es_events');
    const response = await call(service, app, 'POST', '/v1/webhook-endpoints', { url });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('webhook_url_not_allowed');
    expect(await service.countRows('es_events')).toBe(before);
  });

  it('never reaches a name that resolved to a public address at registration and to 127.0.0.1 at delivery', async () => {
    dns.names.set('rebind.test', '93.184.215.14');
    const endpoint = await registerEndpoint(service, app, `https://rebind.test:${receiver.port}/rebound`);
    dns.names.set('rebind.test', '127.0.0.1');
    const connections = receiver.connections;
    await anActiveLink(service, app);
    const log = await eventually(async () => {
      const page = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
      expect(page.items.length).toBeGreaterThanOrEqual(2);
      return page;
    });
    expect(log.items.every((item: { status: string; responseCode: null }) => item.status === 'failed')).toBe(true);
    expect(log.items.every((item: { responseCode: null }) => item.responseCode === null)).toBe(true);
    expect(receiver.connections).toBe(connections);
  });
});

describe('webhooks out, bad input: problem+json with a stable code and nothing stored, on the embedded default', () => {
  let service: ServiceUnderTest;
  let app: string;
  let other: string;
  let endpointId: string;

  beforeAll(async () => {
    service = await startService('embedded PGlite', { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    app = await service.token();
    other = await service.paymentAppToken('other-app');
    endpointId = (await registerEndpoint(service, app, 'http://127.0.0.1:9/hooks')).id;
  });
  afterAll(async () => {
    await service?.close();
  });

  it.each([
    ['no url', {}],
    ['a url that is not a string', { url: 42 }],
    ['a url that is no URL', { url: 'not a url at all' }],
    ['an unknown event type', { url: 'https://hooks.example.com/x', eventTypes: ['link.exploded'] }],
    ['event types that are not a list', { url: 'https://hooks.example.com/x', eventTypes: 'link.activated' }],
    ['a repeated event type', { url: 'https://hooks.example.com/x', eventTypes: ['link.activated', 'link.activated'] }],
    ['an unknown field', { url: 'https://hooks.example.com/x', secret: 'whsec_mine' }],
    ['a description too long', { url: 'https://hooks.example.com/x', description: 'x'.repeat(201) }],
  ])('POST /v1/webhook-endpoints with %s', async (_what, body) => {
    const before = await service.countRows('es_events');
    const response = await call(service, app, 'POST', '/v1/webhook-endpoints', body);
    expect([400, 422]).toContain(response.statusCode);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toMatch(/^(validation_failed|webhook_url_not_allowed)$/);
    expect(await service.countRows('es_events')).toBe(before);
  });

  it('refuses a body that is not JSON (415) and a caller without a token (401) or of another role (403)', async () => {
    const text = await service.app.inject({
      method: 'POST',
      url: '/v1/webhook-endpoints',
      headers: { authorization: `Bearer ${app}`, 'content-type': 'text/plain' },
      payload: 'url=https://x',
    });
    expect(text.statusCode).toBe(415);
    expect((await service.app.inject({ method: 'GET', url: '/v1/webhook-endpoints' })).statusCode).toBe(401);
    const investigator = await service.token('sandbox-investigator');
    expect((await call(service, investigator, 'GET', '/v1/webhook-endpoints')).statusCode).toBe(403);
    expect((await call(service, investigator, 'GET', '/v1/events')).statusCode).toBe(403);
    // A bank client not bound to a bank code (`bank-<code>`) has no endpoints.
    const unbound = await clientToken(service, 'support-desk', 'bank');
    expect((await call(service, unbound, 'GET', '/v1/webhook-endpoints')).statusCode).toBe(403);
  });

  it.each([
    ['GET', ''],
    ['DELETE', ''],
    ['POST', '/secret-rotation'],
    ['GET', '/deliveries'],
    ['POST', '/replays'],
  ] as const)(
    "answers %s …%s of another client's, an unknown or a malformed endpoint with 404",
    async (method, tail) => {
      const body = tail === '/replays' ? { since: '2026-11-20T00:00:00Z' } : undefined;
      for (const [token, id] of [
        [other, endpointId],
        [app, 'whe_unknown'],
        [app, 'nope'],
      ] as const) {
        const before = await service.countRows('es_events');
        const response = await call(service, token, method, `/v1/webhook-endpoints/${id}${tail}`, body);
        expect(response.statusCode).toBe(404);
        expect(response.json().code).toBe('webhook_endpoint_not_found');
        expect(await service.countRows('es_events')).toBe(before);
      }
      expect((await call(service, app, 'GET', `/v1/webhook-endpoints/${endpointId}`)).statusCode).toBe(200);
    },
  );

  it.each([
    ['no since', {}],
    ['a since that is no time', { since: 'yesterday' }],
    ['a since without a zone', { since: '2026-11-20T00:00:00' }],
    ['an until before since', { since: '2026-11-20T00:00:00Z', until: '2026-11-19T00:00:00Z' }],
    ['an unknown field', { since: '2026-11-20T00:00:00Z', all: true }],
  ])('POST …/replays with %s is 400 validation_failed', async (_what, body) => {
    const response = await call(service, app, 'POST', `/v1/webhook-endpoints/${endpointId}/replays`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });

  it.each([
    [`/v1/webhook-endpoints/ENDPOINT/deliveries?cursor=not*a*cursor`],
    [`/v1/webhook-endpoints/ENDPOINT/deliveries?cursor=${Buffer.from('["x"]').toString('base64url')}`],
    ['/v1/webhook-endpoints/ENDPOINT/deliveries?limit=0'],
    ['/v1/events?after=%%%'],
    [`/v1/events?after=${Buffer.from('[1]').toString('base64url')}`],
    ['/v1/events?type=link.exploded'],
    ['/v1/events?limit=1000'],
    ['/v1/events?since=2026-01-01'],
  ])('GET %s is 400 validation_failed', async (url) => {
    const response = await call(service, app, 'GET', url.replace('ENDPOINT', endpointId));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });
});

describe('an endpoint that fails every delivery for 5 days is disabled (the service clock moved by the test)', () => {
  let service: ServiceUnderTest;
  let receiver: WebhookReceiver;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService('embedded PGlite', {
      processes: 'running',
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_SCHEDULE_SECONDS: '60,60' },
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
  });
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  it('retries on the schedule, then fails the delivery; a failure 5 days after the first disables the endpoint, as an event', async () => {
    const app = await service.token();
    const [first, second] = [await anActiveLink(service, app), await anActiveLink(service, app)];
    const path = `/dead-${randomUUID()}`;
    receiver.answer(path, () => ({ status: 500 }));
    const endpoint = await registerEndpoint(service, app, receiver.url(path), { eventTypes: ['link.revoked'] });
    const revoke = (linkId: string) =>
      call(service, app, 'POST', `/v1/links/${linkId}/revocation`, { reason: 'the customer closed the wallet' });
    expect((await revoke(first)).statusCode).toBe(200);
    // Each attempt is recorded (and its retry scheduled) before the clock moves on.
    const recorded = (attempts: number) =>
      eventually(async () => {
        const log = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
        expect(log.items).toHaveLength(attempts);
      });
    await recorded(1);
    for (const attempts of [2, 3]) {
      clock.advanceMinutes(2);
      await recorded(attempts);
    }
    clock.advanceMinutes(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at(path)).toHaveLength(3);
    expect((await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}`)).json().status).toBe('enabled');

    clock.advanceMinutes(5 * 24 * 60);
    expect((await revoke(second)).statusCode).toBe(200);
    await eventually(async () => {
      const read = (await call(service, app, 'GET', `/v1/webhook-endpoints/${endpoint.id}`)).json();
      expect(read).toMatchObject({ status: 'disabled', disabledAt: expect.any(String) });
    });
    expect(await service.eventTypesOf(`webhook-endpoint-${endpoint.id}`)).toEqual([
      'WebhookEndpointRegistered',
      'WebhookEndpointDisabled',
    ]);
    // Its retries are dropped with it: nothing more is sent.
    const sent = receiver.at(path).length;
    clock.advanceMinutes(10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at(path)).toHaveLength(sent);
  });
});

class WorkerKilled extends Error {
  override readonly name = 'WorkerKilled';
}

/** The worker dies the moment the receiver has answered: nothing after the send runs, and it sends nothing more. */
class KilledAfterSend implements WebhookSender {
  private dead = false;
  constructor(private readonly inner: WebhookSender) {}
  async send(request: WebhookRequest): Promise<WebhookResponse> {
    if (this.dead) return new Promise(() => undefined);
    await this.inner.send(request);
    this.dead = true;
    throw new WorkerKilled();
  }
}

describe('a worker killed between sending a webhook and recording it, on the embedded default', () => {
  let receiver: WebhookReceiver;
  let first: ServiceUnderTest | undefined;
  let second: ServiceUnderTest | undefined;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await receiver.close();
  });

  it('after a restart the receiver gets that event again under the same webhook-id, and nothing is lost', async () => {
    const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '300', WORK_CLAIM_TTL_SECONDS: '2' };
    first = await startService('embedded PGlite', {
      processes: 'running',
      env,
      keepDataDir: true,
      override: (builder) =>
        builder.overrideProvider(WEBHOOK_SENDER).useValue(new KilledAfterSend(new GuardedHttpWebhookSender(true))),
    });
    const app = await first.token();
    const path = `/crash-${randomUUID()}`;
    const endpoint = await registerEndpoint(first, app, receiver.url(path));
    const linkId = await anActiveLink(first, app);
    const [sent] = await eventually(async () => {
      expect(receiver.at(path)).toHaveLength(1);
      return receiver.at(path);
    });
    const dataDir = first.dataDir;
    await Promise.race([first.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    first = undefined;

    second = await startService('embedded PGlite', { env, dataDir, processes: 'running' });
    const again = await second.token();
    const received = await eventually(async () => {
      const mine = ofLink(receiver.at(path), linkId);
      expect(new Set(mine.map((request) => JSON.parse(request.body).type))).toEqual(
        new Set(['link.notifying_customer', 'link.activated']),
      );
      expect(mine.filter((request) => request.headers['webhook-id'] === sent?.headers['webhook-id']).length).toBe(2);
      return mine;
    });
    for (const request of received) verified(endpoint.secret, request);
    const log = (await call(second, again, 'GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
    expect(log.items.filter((item: { status: string }) => item.status === 'succeeded')).toHaveLength(2);
  });
});
