import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Response as InjectResponse } from 'light-my-request';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import { DueWorkPollers } from '@lib/account-linking/nest/due-work-pollers';
import { LinkNoticePoller } from '@lib/account-linking/nest/link-notice-poller';
import { WebhookDeliveryPoller } from '@lib/account-linking/nest/webhooks-out-worker.module';
import { CommandBus } from '@nestjs/cqrs';
import { ProvisionBankWebhookKeyCommand } from '@lib/account-linking/application/commands/provision-bank-webhook-key/provision-bank-webhook-key.command';
import { RegisterBankCommand } from '@lib/account-linking/application/commands/register-bank/register-bank.command';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import { loadConfig } from '@lib/platform/config/app-config';
import { APP_OPTIONS } from '@lib/platform/http/configure-http';
import { createHttpAdapter } from '@lib/platform/http/http-adapter';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/http/configure-app';

export type StoreUnderTest = 'embedded PGlite' | 'PostgreSQL server';
export const STORES: StoreUnderTest[] = ['embedded PGlite', 'PostgreSQL server'];

export interface ServiceUnderTest {
  app: NestFastifyApplication;
  secrets: { app: string; investigator: string; operator: string; bankWebhook: string };
  /** A bearer token for one of the sandbox clients. */
  token(client?: 'sandbox-app' | 'sandbox-investigator' | 'sandbox-operator'): Promise<string>;
  /** POSTs a webhook to the sandbox bank's endpoint, signed with its secret unless told otherwise. */
  sendBankEvent(
    body: unknown,
    options?: { bankCode?: string; secret?: string; id?: string; timestamp?: Date; rawBody?: string },
  ): Promise<InjectResponse>;
  /** Every text column of every table, for the plaintext scan. */
  dumpDatabase(): Promise<string>;
  /** How many rows a table of the store holds: "nothing changed" is "the same counts before and after". */
  countRows(table: 'es_events' | 'webhook_receipts'): Promise<number>;
  /** The type of each event of one stream, in order. */
  eventTypesOf(stream: string): Promise<string[]>;
  /** Registers (or re-registers) a payment app client besides `sandbox-app` and returns a token for it. */
  paymentAppToken(clientId: string): Promise<string>;
  /** Registers a bank besides Sandbox Bank, with an HMAC webhook key; returns its `whsec_…` secret. */
  registerBank(code: string, policy: BankLinkPolicy, name?: string): Promise<string>;
  /** The folder of the embedded store, to start the service again on the same data. */
  dataDir: string;
  /** The environment the service was configured from, to start another process on the same store. */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Added to (or overriding) the environment the service is configured from. */
  env?: Record<string, string>;
  /** Start on the data of an earlier run (the embedded store); kept on close, like `keepDataDir`. */
  dataDir?: string;
  /** Leave the data folder in place on close, for a restart. */
  keepDataDir?: boolean;
  /** Replaces providers before the service is built (a test clock, a faulty channel). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /**
   * `running`: the worker fires link timers and delivers notifications, as in production, so links move on
   * by themselves. `paused` (the default): the process managers still record their work but nothing carries
   * it out, so a test that counts rows across the whole store sees only what it did itself.
   */
  processes?: 'running' | 'paused';
  /** A built investigator console to serve under /console (the default is the one `npm run build` made). */
  consoleDir?: string;
}

/** The whole service, as `npm start` builds it, on the store asked for, with the sandbox on. */
export async function startService(store: StoreUnderTest, options: StartOptions = {}): Promise<ServiceUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kouza-link-test-'));
  const keepDataDir = options.keepDataDir ?? options.dataDir !== undefined;
  const database = store === 'PostgreSQL server' ? await createTestSchema() : undefined;
  const secrets = {
    app: randomBytes(24).toString('base64url'),
    investigator: randomBytes(24).toString('base64url'),
    operator: randomBytes(24).toString('base64url'),
    bankWebhook: `whsec_${randomBytes(32).toString('base64')}`,
  };
  const env: Record<string, string | undefined> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SANDBOX: 'true',
    SANDBOX_APP_SECRET: secrets.app,
    SANDBOX_INVESTIGATOR_SECRET: secrets.investigator,
    SANDBOX_OPERATOR_SECRET: secrets.operator,
    SANDBOX_BANK_WEBHOOK_SECRET: secrets.bankWebhook,
    ...(database ? { DATABASE_URL: database.url, SERVICE_MASTER_KEY: randomBytes(32).toString('base64') } : {}),
    // The worker's timers and notifications without the production second of latency.
    TIMER_POLL_INTERVAL_MS: '50',
    ...options.env,
  };
  const config = loadConfig(env);
  const builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config, loadAuthConfig(env), env)],
  });
  if (options.processes !== 'running') {
    builder.overrideProvider(DueWorkPollers).useValue({});
    builder.overrideProvider(LinkNoticePoller).useValue({});
    builder.overrideProvider(WebhookDeliveryPoller).useValue({});
  }
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), APP_OPTIONS), {
    ...(options.consoleDir !== undefined ? { consoleDir: options.consoleDir } : {}),
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const tokens = new Map<string, string>();
  const secretOf: Record<string, string> = {
    'sandbox-app': secrets.app,
    'sandbox-investigator': secrets.investigator,
    'sandbox-operator': secrets.operator,
  };
  const sql = app.get<SqlClient>(SQL_CLIENT);

  const tokenOf = async (client: string): Promise<string> => {
    const cached = tokens.get(client);
    if (cached) return cached;
    const secret = secretOf[client];
    if (secret === undefined) throw new Error(`no secret for client ${client}`);
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client,
        client_secret: secret,
      }).toString(),
    });
    if (response.statusCode !== 200) throw new Error(`token for ${client}: ${response.statusCode} ${response.body}`);
    const token = response.json().access_token as string;
    tokens.set(client, token);
    return token;
  };

  return {
    app,
    secrets,
    dataDir,
    env,
    async registerBank(code, policy, name = `Test Bank ${code}`) {
      const commands = app.get(CommandBus);
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const metadata: EventMetadata = {
        actor: { type: 'system', id: 'test-setup' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        occurredAt: new Date().toISOString(),
      };
      await commands.execute(new RegisterBankCommand(code, name, policy, metadata));
      await commands.execute(
        new ProvisionBankWebhookKeyCommand(
          code,
          { keyId: `test-${code}`, kind: 'hmac', material: secret },
          false,
          metadata,
        ),
      );
      return secret;
    },
    token: (client = 'sandbox-app') => tokenOf(client),
    async paymentAppToken(clientId) {
      if (secretOf[clientId] === undefined) {
        const secret = randomBytes(24).toString('base64url');
        await app
          .get<ClientRegistry>(CLIENT_REGISTRY)
          .upsert({ clientId, secret, role: 'payment_app', displayName: `Test app ${clientId}` });
        secretOf[clientId] = secret;
      }
      return tokenOf(clientId);
    },
    async sendBankEvent(body, options = {}) {
      const raw = options.rawBody ?? JSON.stringify(body);
      const headers = signWebhook({
        id: options.id ?? `msg_${randomUUID()}`,
        timestamp: options.timestamp ?? new Date(),
        body: raw,
        key: { kind: 'hmac', secret: options.secret ?? secrets.bankWebhook },
      });
      return app.inject({
        method: 'POST',
        url: `/v1/banks/${options.bankCode ?? '9900'}/events`,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: raw,
      });
    },
    async dumpDatabase() {
      const tables = await sql.query<{ table_name: string }>(
        `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      const dumps: string[] = [];
      for (const { table_name } of tables) {
        const rows = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
        dumps.push(...rows.map((row) => row.row));
      }
      return dumps.join('\n');
    },
    async countRows(table) {
      const [row] = await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
      return row?.count ?? 0;
    },
    async eventTypesOf(stream) {
      const rows = await sql.query<{ event_type: string }>(
        'SELECT event_type FROM es_events WHERE stream_name = $1 ORDER BY revision',
        [stream],
      );
      return rows.map((row) => row.event_type);
    },
    async close() {
      await app.close();
      await database?.drop();
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
