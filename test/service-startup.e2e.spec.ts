import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@lib/platform/config/app-config';
import { createHttpAdapter } from '@lib/platform/http/http-adapter';
import { AppModule } from '../apps/api/src/app.module';

describe('the service on its embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kouza-link-e2e-'));
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter());
    app.enableShutdownHooks();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health/ready once the embedded database and event log can be read', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, eventStore: { status: 'up' } },
    });
  });

  it('answers /health/live', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('echoes a caller-supplied X-Request-Id', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'req-123' } });
    expect(response.headers['x-request-id']).toBe('req-123');
  });

  it('gives a request without a usable X-Request-Id a fresh one', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\n' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
