import { InvalidConfigError } from '../config/app-config';
import { PgliteSqlClient } from '../sql/pglite-sql-client';
import { ClientRegistry } from './client-registry';
import { seedSandboxClients } from './sandbox-clients';

describe('seedSandboxClients', () => {
  let sql: PgliteSqlClient;
  let registry: ClientRegistry;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    registry = new ClientRegistry(sql);
    await registry.ensureSchema();
  });

  afterAll(async () => {
    await sql.close();
  });

  const env = {
    SANDBOX_APP_SECRET: 'app-secret-from-env-1',
    SANDBOX_INVESTIGATOR_SECRET: 'inv-secret-from-env-1',
    SANDBOX_OPERATOR_SECRET: 'ops-secret-from-env-1',
  };

  it('registers the three sandbox clients with the secrets of the environment, logging none of them', async () => {
    const log = { log: jest.fn() };
    const seeded = await seedSandboxClients(registry, env, log);
    expect(seeded).toEqual([
      { clientId: 'sandbox-app', role: 'payment_app', secretFrom: 'environment' },
      { clientId: 'sandbox-investigator', role: 'investigator', secretFrom: 'environment' },
      { clientId: 'sandbox-operator', role: 'operator', secretFrom: 'environment' },
    ]);
    await expect(registry.verify('sandbox-app', env.SANDBOX_APP_SECRET)).resolves.toMatchObject({
      role: 'payment_app',
      scopes: ['links:write', 'links:read'],
    });
    await expect(registry.verify('sandbox-investigator', env.SANDBOX_INVESTIGATOR_SECRET)).resolves.toMatchObject({
      role: 'investigator',
    });
    await expect(registry.verify('sandbox-operator', env.SANDBOX_OPERATOR_SECRET)).resolves.toMatchObject({
      role: 'operator',
    });
    const logged = JSON.stringify(log.log.mock.calls);
    expect(logged).not.toMatch(/secret-from-env/);
  });

  it('re-keys the clients when the environment brings new secrets', async () => {
    await seedSandboxClients(registry, { ...env, SANDBOX_APP_SECRET: 'app-secret-from-env-2' }, { log: jest.fn() });
    await expect(registry.verify('sandbox-app', 'app-secret-from-env-1')).resolves.toBeUndefined();
    await expect(registry.verify('sandbox-app', 'app-secret-from-env-2')).resolves.toBeDefined();
  });

  it('generates each missing secret and logs it exactly once', async () => {
    const log = { log: jest.fn() };
    const seeded = await seedSandboxClients(registry, { SANDBOX_APP_SECRET: 'app-secret-from-env-3' }, log);
    expect(seeded.map((client) => client.secretFrom)).toEqual(['environment', 'generated', 'generated']);
    const messages: string[] = log.log.mock.calls.map(([message]) => String(message));
    const generated = messages.flatMap((message) => /generated secret: (\S+)$/.exec(message)?.[1] ?? []);
    expect(generated).toHaveLength(2);
    const [investigatorSecret, operatorSecret] = generated as [string, string];
    expect(investigatorSecret).not.toBe(operatorSecret);
    expect(messages.filter((message) => message.includes(investigatorSecret))).toHaveLength(1);
    await expect(registry.verify('sandbox-investigator', investigatorSecret)).resolves.toBeDefined();
    await expect(registry.verify('sandbox-operator', operatorSecret)).resolves.toBeDefined();
  });

  it('refuses a too-short secret in the environment, naming the variable only', async () => {
    const error = await seedSandboxClients(registry, { SANDBOX_OPERATOR_SECRET: 'short-1' }, { log: jest.fn() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).problems).toEqual([
      expect.objectContaining({ variable: 'SANDBOX_OPERATOR_SECRET' }),
    ]);
    expect((error as Error).message).not.toContain('short-1');
  });
});
