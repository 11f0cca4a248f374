import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@lib/platform/config/app-config';
import { APP_OPTIONS, configureHttp } from '@lib/platform/http/configure-http';
import { createHttpAdapter } from '@lib/platform/http/http-adapter';
import { WorkerAppModule } from '../apps/worker/src/app.module';
import { eventually } from './support/eventually';
import { aLinkRequest } from './support/link-request';
import { type ServiceUnderTest, startService } from './support/service-under-test';

/** The worker app as `node dist/apps/worker/src/main.js` builds it, on the store of a running api. */
async function startWorkerApp(env: Record<string, string | undefined>): Promise<NestFastifyApplication> {
  const config = loadConfig({ ...env, ROLE: 'worker' });
  const moduleRef = await Test.createTestingModule({ imports: [WorkerAppModule.forRoot(config)] }).compile();
  const app = configureHttp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), APP_OPTIONS));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the api (ROLE=api) and the worker app run apart on one PostgreSQL server', () => {
  let api: ServiceUnderTest;
  let worker: NestFastifyApplication | undefined;

  beforeAll(async () => {
    api = await startService('PostgreSQL server', { env: { ROLE: 'api' }, processes: 'running' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('the api alone tells no customer; the worker app then notifies and activates the link', async () => {
    const token = await api.token();
    const requested = await api.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      payload: aLinkRequest(),
    });
    expect(requested.statusCode).toBe(201);
    const linkId = String(requested.json().id);
    const simulated = await api.app.inject({
      method: 'POST',
      url: '/v1/sandbox/banks/9900/authentications',
      headers: { authorization: `Bearer ${token}` },
      payload: { linkId, scenario: 'success' },
    });
    expect(simulated.json().webhook.status).toBe(204);

    // Ten of the api's poll intervals: were the worker role running in it, the customer would be told by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await api.eventTypesOf(`link-${linkId}`)).not.toContain('CustomerNotified');

    worker = await startWorkerApp(api.env);
    await eventually(async () =>
      expect((await api.eventTypesOf(`link-${linkId}`)).slice(-2)).toEqual(['CustomerNotified', 'LinkActivated']),
    );
    // The links read model, which only the worker's projections feed, says so to the app.
    await eventually(async () => {
      const read = await api.app.inject({
        method: 'GET',
        url: `/v1/links/${linkId}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.json()).toMatchObject({ id: linkId, status: 'active' });
    });
  });

  // After the link above was activated: its notification and commands are in the worker's metrics.
  it('the worker app serves health and metrics, and none of the api', async () => {
    worker ??= await startWorkerApp(api.env);
    const ready = await worker.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ details: { database: { status: 'up' }, eventStore: { status: 'up' } } });

    const metrics = await worker.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/^kouza_link_notifications_total\{[^}]*outcome="delivered"[^}]*\} 1$/m);
    expect(metrics.body).toMatch(/^kouza_link_projection_lag_events\{projection="[^"]+"\} \d+$/m);
    expect(metrics.body).toMatch(/^kouza_link_commands_total\{command="DriveLink:[^"]+",outcome="succeeded"/m);

    for (const [method, url] of [
      ['POST', '/v1/links'],
      ['POST', '/oauth/token'],
      ['GET', '/.well-known/jwks.json'],
      ['GET', '/openapi.json'],
    ] as const) {
      expect({ method, url, status: (await worker.inject({ method, url })).statusCode }).toEqual({
        method,
        url,
        status: 404,
      });
    }
  });
});
