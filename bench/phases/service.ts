import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { loadConfig } from '@lib/platform/config/app-config';
import { APP_OPTIONS } from '@lib/platform/http/configure-http';
import { createHttpAdapter } from '@lib/platform/http/http-adapter';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/http/configure-app';
import { KeepAliveClient } from '../http-load/http-client';
import type { Place } from '../stores';
import { originOf } from './http-figures';

export interface RunningService {
  origin: string;
  sql: SqlClient;
  store: EventStore;
  /** A bearer token of the sandbox payment app. */
  appToken: string;
  /** Sandbox Bank's (9900) webhook secret, `whsec_…`. */
  bankSecret: string;
  close(): Promise<void>;
}

/**
 * The whole service as `npm start` builds it (AppModule, the service's Fastify adapter, configureApp; api
 * and worker roles in one process), on the given place, the sandbox on, listening on an ephemeral port.
 * Request logs are off (LOG_LEVEL=silent): the bench's own output is on stdout.
 */
export async function startService(
  place: Place,
  options: { pollIntervalMs?: number | undefined },
): Promise<RunningService> {
  const appSecret = randomBytes(24).toString('base64url');
  const bankSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const env: Record<string, string> = {
    ...place.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SANDBOX: 'true',
    SANDBOX_APP_SECRET: appSecret,
    SANDBOX_INVESTIGATOR_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX_OPERATOR_SECRET: randomBytes(24).toString('base64url'),
    SANDBOX_BANK_WEBHOOK_SECRET: bankSecret,
    // The webhooks-out phase delivers to a receiver on loopback (the server mode allows none by default).
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Given, as a production deployment gives them (else the service generates them and warns).
    SERVICE_MASTER_KEY: randomBytes(32).toString('base64'),
    JWT_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(options.pollIntervalMs ? { TIMER_POLL_INTERVAL_MS: String(options.pollIntervalMs) } : {}),
  };
  const config = loadConfig(env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, loadAuthConfig(env), env),
    createHttpAdapter(),
    { ...APP_OPTIONS, logger: ['error', 'warn'] },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const origin = originOf(app);

  const client = new KeepAliveClient(new URL(origin), 1);
  const answer = await client.send(
    'POST',
    '/oauth/token',
    { 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'sandbox-app',
      client_secret: appSecret,
    }).toString(),
  );
  client.close();
  if (answer.status !== 200) throw new Error(`token for sandbox-app: ${answer.status} ${answer.body}`);

  return {
    origin,
    sql: app.get<SqlClient>(SQL_CLIENT),
    store: app.get<EventStore>(EVENT_STORE),
    appToken: (JSON.parse(answer.body) as { access_token: string }).access_token,
    bankSecret,
    close: () => app.close(),
  };
}
