import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import {
  EVENTSTOREDB_IMAGE,
  EVENTSTOREDB_SERVER_SETTINGS,
} from '@lib/event-store/eventstoredb/testing/eventstoredb-server';
import { AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import { AppConfig, loadConfig } from '@lib/platform/config/app-config';

const ROOT = join(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
}

/** Secrets of the compose file: each must come from the environment, required, with no default. */
const SECRETS: Record<string, string> = {
  SERVICE_MASTER_KEY: randomBytes(32).toString('base64'),
  JWT_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  POSTGRES_PASSWORD: 'dummy-password-for-the-test',
};

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}`, with the dummy secrets above as the environment. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, operator?: string, fallback?: string) => {
    const given = SECRETS[name];
    if (given !== undefined) return given;
    if (operator?.endsWith('-')) return fallback ?? '';
    throw new Error(`${name} is required by the compose file (${fallback}) and the test has no value for it`);
  });
}

/** Every variable a config class validates, optional ones included. */
function variablesOf(config: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(config, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};
const environmentOf = (name: string) =>
  Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, interpolate(value)]));

describe('docker-compose.yml (parsed; no Docker engine runs it here)', () => {
  it('has EventStoreDB, PostgreSQL, the api and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'eventstoredb', 'postgres', 'worker']);
  });

  it('runs a single-node, insecure EventStoreDB and PostgreSQL from pinned images', () => {
    expect(service('eventstoredb').image).toMatch(/^eventstore\/eventstore:\d+\.\d+/);
    expect(service('eventstoredb').environment).toMatchObject({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_CLUSTER_SIZE: '1',
    });
    expect(service('postgres').image).toMatch(/^postgres:\d+/);
  });

  it('runs EventStoreDB from the image and with the settings the EventStoreDB contract runs against', () => {
    expect(service('eventstoredb').image).toBe(EVENTSTOREDB_IMAGE);
    expect(service('eventstoredb').environment).toEqual(EVENTSTOREDB_SERVER_SETTINGS);
  });

  it('builds the api and the worker from the Dockerfile, whose entry points exist', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const defaultCommand = /^CMD \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(defaultCommand).toBe('dist/apps/api/src/main.js');
    for (const name of ['api', 'worker']) expect(service(name).build).toBe('.');
    expect(service('worker').command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    for (const built of [defaultCommand ?? '', 'dist/apps/worker/src/main.js']) {
      expect(existsSync(join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it.each(['eventstoredb', 'postgres', 'api', 'worker'])('gives %s a health check', (name) => {
    const { healthcheck } = service(name);
    expect(healthcheck?.test[0]).toBe('CMD-SHELL');
    expect(healthcheck?.test[1]).toEqual(expect.any(String));
    expect(healthcheck?.interval).toMatch(/^\d+s$/);
    expect(healthcheck?.timeout).toMatch(/^\d+s$/);
    expect(healthcheck?.retries).toBeGreaterThan(0);
  });

  it.each(['api', 'worker'])('checks the %s on /health/ready at the port it listens on', (name) => {
    const port = environmentOf(name).PORT;
    expect(service(name).healthcheck?.test[1]).toContain(`http://localhost:${port}/health/ready`);
  });

  it('publishes the api on its PORT', () => {
    expect(service('api').ports).toEqual([`${environmentOf('api').PORT}:${environmentOf('api').PORT}`]);
  });

  it.each(['api', 'worker'])('starts the %s only once both stores are healthy', (name) => {
    expect(service(name).depends_on).toMatchObject({
      eventstoredb: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
  });

  it('starts the worker after the api is healthy (the api creates the schemas)', () => {
    expect(service('worker').depends_on?.api).toEqual({ condition: 'service_healthy' });
  });

  it.each([
    ['api', 'api'],
    ['worker', 'worker'],
  ] as const)('configures the %s with variables the config schema knows and accepts', (name, role) => {
    const env = environmentOf(name);
    const known = [...variablesOf(AppConfig), ...variablesOf(AuthConfig)];
    expect(Object.keys(env).filter((variable) => !known.includes(variable))).toEqual([]);

    const config = loadConfig(env);
    loadAuthConfig(env);
    expect(config.ROLE).toBe(role);
    expect(config.storeMode).toBe('eventstoredb');
    expect(config.sandboxEnabled).toBe(false);
    // Every value was taken as given, none dropped on the way.
    for (const [variable, value] of Object.entries(env)) {
      if (variablesOf(AppConfig).includes(variable)) {
        expect(String(config[variable as keyof AppConfig])).toBe(value);
      }
    }
  });

  it('points the api and the worker at the compose services, with the PostgreSQL credentials', () => {
    const postgres = environmentOf('postgres');
    for (const name of ['api', 'worker']) {
      const env = environmentOf(name);
      expect(env.DATABASE_URL).toBe(
        `postgres://${postgres.POSTGRES_USER}:${postgres.POSTGRES_PASSWORD}@postgres:5432/${postgres.POSTGRES_DB}`,
      );
      expect(new URL(env.EVENTSTOREDB_URL ?? '').host).toBe('eventstoredb:2113');
      expect(env.SERVICE_MASTER_KEY).toBe(SECRETS.SERVICE_MASTER_KEY);
    }
  });

  it('takes every secret from the environment, required, with no default in the file', () => {
    const raw = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const secretsUsed = [...raw.matchAll(/\$\{(\w+)/g)].map((match) => match[1]);
    expect(new Set(secretsUsed)).toEqual(new Set(Object.keys(SECRETS)));
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(definition.environment ?? {})) {
        if (variable in SECRETS)
          expect({ name, variable, value }).toMatchObject({ value: expect.stringMatching(/^\$\{\w+:\?/) });
        if (/PASSWORD|SECRET|KEY/.test(variable) || variable === 'DATABASE_URL') {
          expect({ name, variable, value }).toMatchObject({ value: expect.stringContaining('${') });
        }
      }
    }
    expect(service('api').environment?.JWT_PRIVATE_KEY).toMatch(/^\$\{JWT_PRIVATE_KEY:\?/);
  });
});
