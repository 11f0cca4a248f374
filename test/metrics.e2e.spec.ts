import { randomUUID } from 'node:crypto';
import { NotificationMetrics } from '@lib/platform/metrics/notification-metrics';
import { distinctiveLinkRequest, personalDataIn } from './support/distinctive-link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

/** Every sample of one metric whose labels include `labels`, as `[labels text, value]`. */
function samples(text: string, name: string, labels: Record<string, string> = {}): [string, number][] {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text.split('\n').flatMap((line): [string, number][] => {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) return [];
    const present = (match[2] ?? '').split(',');
    return wanted.every((pair) => present.includes(pair)) ? [[match[2] ?? '', Number(match[3])]] : [];
  });
}

/** The value of one sample of the exposition text, `undefined` when there is no such sample. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return samples(text, name, labels)[0]?.[1];
}

describe('Prometheus metrics at /metrics', () => {
  let service: ServiceUnderTest;
  let token: string;
  const { body, personal } = distinctiveLinkRequest();
  let linkId: string;

  const scrape = async () => {
    const response = await service.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response;
  };

  beforeAll(async () => {
    service = await startService('embedded PGlite', { processes: 'running' });
    token = await service.token();
    const created = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    linkId = created.json().id;
    const read = await service.app.inject({
      method: 'GET',
      url: `/v1/links/${linkId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.statusCode).toBe(200);
    // Refused by the application: no bank 0001 takes part.
    const refused = await service.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}` },
      payload: distinctiveLinkRequest('0001').body,
    });
    expect(refused.json().code).toBe('unknown_bank');
    await service.app.inject({ method: 'GET', url: `/no/such/route/${personal.customerReference}` });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('answers without a token, in the Prometheus text format, with the process metrics', async () => {
    const response = await scrape();
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(response.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(response.body).toMatch(/^process_resident_memory_bytes \d/m);
  });

  it('counts HTTP requests by method, route pattern and status', async () => {
    const { body: text } = await scrape();
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/links', status: '201' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/links/:id', status: '200' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/links', status: '422' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/links/:id', status: '200' }),
    ).toBe(1);
  });

  it('counts commands by type and outcome, with the refusal code', async () => {
    const { body: text } = await scrape();
    expect(sample(text, 'kouza_link_commands_total', { command: 'RequestLink', outcome: 'succeeded', code: '' })).toBe(
      1,
    );
    expect(
      sample(text, 'kouza_link_commands_total', { command: 'RequestLink', outcome: 'refused', code: 'unknown_bank' }),
    ).toBe(1);
  });

  it('counts notifications by channel and outcome as the notifier records them', async () => {
    const before =
      sample((await scrape()).body, 'kouza_link_notifications_total', { channel: 'test', outcome: 'delivered' }) ?? 0;
    service.app.get(NotificationMetrics).record('delivered', 'test');
    const after = sample((await scrape()).body, 'kouza_link_notifications_total', {
      channel: 'test',
      outcome: 'delivered',
    });
    expect(after).toBe(before + 1);
  });

  it('counts the customer notification Sandbox Bank asks for once it authenticated the customer', async () => {
    const simulated = await service.app.inject({
      method: 'POST',
      url: '/v1/sandbox/banks/9900/authentications',
      headers: { authorization: `Bearer ${token}` },
      payload: { linkId, scenario: 'success' },
    });
    expect(simulated.json()).toMatchObject({ webhook: { status: 204 } });
    // Delivered by the worker, which records it on the link with a command of its own.
    for (let tries = 0; ; tries += 1) {
      const text = (await scrape()).body;
      const delivered = samples(text, 'kouza_link_notifications_total', { outcome: 'delivered' }).filter(
        ([labels]) => !labels.includes('channel="test"'),
      );
      const recorded = sample(text, 'kouza_link_commands_total', {
        command: 'DriveLink:RecordNotificationDelivered',
        outcome: 'succeeded',
      });
      if (delivered.length > 0 && recorded !== undefined) {
        expect(delivered.map(([, value]) => value)).toEqual([1]);
        expect(recorded).toBe(1);
        break;
      }
      if (tries > 100) throw new Error(`not counted yet: ${JSON.stringify({ delivered, recorded })}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('reports the lag of every projection, in events and seconds', async () => {
    const { body: text } = await scrape();
    const events = samples(text, 'kouza_link_projection_lag_events');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every(([labels, value]) => /^projection="[\w:.-]+"$/.test(labels) && value >= 0)).toBe(true);
    expect(samples(text, 'kouza_link_projection_lag_seconds')).toHaveLength(events.length);
  });

  it('carries no id, token or personal data of the requests it counts', async () => {
    const { body: text } = await scrape();
    expect(personalDataIn(text, personal)).toEqual([]);
    expect(text).not.toContain(linkId);
    expect(text).not.toContain(token);
    expect(text).not.toContain('/no/such/route');
  });
});
