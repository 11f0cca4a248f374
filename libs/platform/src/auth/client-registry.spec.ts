import type { SqlClient } from '../sql/sql-client';
import { SQL_BACKENDS } from '../sql/testing/sql-backends';
import { ClientAlreadyRegisteredError, ClientRegistry, InvalidClientRegistrationError } from './client-registry';

describe.each(SQL_BACKENDS)('ClientRegistry on $name', (backend) => {
  let sql: SqlClient;
  let dispose: () => Promise<void>;
  let registry: ClientRegistry;

  beforeAll(async () => {
    ({ sql, dispose } = await backend.open());
    registry = new ClientRegistry(sql);
    await Promise.all([registry.ensureSchema(), registry.ensureSchema()]);
  });

  afterAll(async () => {
    await dispose?.();
  });

  it('registers a client with its role default scopes and verifies its secret', async () => {
    const client = await registry.register({
      clientId: 'app-verify',
      secret: 'app-verify-secret-0001',
      role: 'payment_app',
      displayName: 'Verify App',
    });
    expect(client).toMatchObject({
      clientId: 'app-verify',
      role: 'payment_app',
      scopes: ['links:write', 'links:read'],
    });
    expect(client.createdAt).toBeInstanceOf(Date);
    expect(client.disabledAt).toBeNull();
    await expect(registry.verify('app-verify', 'app-verify-secret-0001')).resolves.toEqual({
      clientId: 'app-verify',
      role: 'payment_app',
      scopes: ['links:write', 'links:read'],
    });
  });

  it.each([
    ['investigator', ['investigations:read']],
    ['operator', ['admin']],
    ['bank', ['bank:read']],
  ] as const)('gives %s clients the scopes %j by default', async (role, scopes) => {
    const client = await registry.register({
      clientId: `default-${role}`,
      secret: 'a-long-enough-secret',
      role,
      displayName: role,
    });
    expect(client.scopes).toEqual(scopes);
  });

  it('refuses a wrong secret and an unknown client alike', async () => {
    await registry.register({
      clientId: 'app-wrong',
      secret: 'app-wrong-secret-0001',
      role: 'payment_app',
      displayName: 'W',
    });
    await expect(registry.verify('app-wrong', 'app-wrong-secret-0002')).resolves.toBeUndefined();
    await expect(registry.verify('no-such-client', 'app-wrong-secret-0001')).resolves.toBeUndefined();
    await expect(registry.verify('bad id with spaces', 'app-wrong-secret-0001')).resolves.toBeUndefined();
  });

  it('stores only a salted scrypt hash of the secret', async () => {
    await registry.register({
      clientId: 'app-hash',
      secret: 'plain-secret-never-stored',
      role: 'bank',
      displayName: 'H',
    });
    const [row] = await sql.query<{ secret_hash: string }>(
      "SELECT secret_hash FROM api_clients WHERE client_id = 'app-hash'",
    );
    expect(row?.secret_hash).toMatch(/^scrypt\$/);
    expect(row?.secret_hash).not.toContain('plain-secret');
  });

  it('refuses to register an id twice, keeping the first secret', async () => {
    await registry.register({
      clientId: 'app-twice',
      secret: 'first-secret-0000001',
      role: 'operator',
      displayName: 'T',
    });
    await expect(
      registry.register({ clientId: 'app-twice', secret: 'second-secret-000001', role: 'operator', displayName: 'T' }),
    ).rejects.toThrow(ClientAlreadyRegisteredError);
    await expect(registry.verify('app-twice', 'first-secret-0000001')).resolves.toBeDefined();
  });

  it('upserts idempotently, a new secret replacing the old one', async () => {
    const first = await registry.upsert({
      clientId: 'seeded',
      secret: 'seed-secret-000000001',
      role: 'operator',
      displayName: 'S',
    });
    const again = await registry.upsert({
      clientId: 'seeded',
      secret: 'seed-secret-000000001',
      role: 'operator',
      displayName: 'S',
    });
    expect(again.createdAt).toEqual(first.createdAt);
    await expect(registry.verify('seeded', 'seed-secret-000000001')).resolves.toBeDefined();
    await registry.upsert({ clientId: 'seeded', secret: 'seed-secret-000000002', role: 'operator', displayName: 'S' });
    await expect(registry.verify('seeded', 'seed-secret-000000001')).resolves.toBeUndefined();
    await expect(registry.verify('seeded', 'seed-secret-000000002')).resolves.toMatchObject({ role: 'operator' });
    const [count] = await sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM api_clients WHERE client_id = 'seeded'",
    );
    expect(count?.n).toBe(1);
  });

  it('refuses a disabled client its tokens, and keeps it disabled across upserts', async () => {
    await registry.register({
      clientId: 'app-off',
      secret: 'app-off-secret-00001',
      role: 'payment_app',
      displayName: 'O',
    });
    expect(await registry.disable('app-off')).toBe(true);
    expect(await registry.disable('app-off')).toBe(false);
    await expect(registry.verify('app-off', 'app-off-secret-00001')).resolves.toBeUndefined();
    await registry.upsert({
      clientId: 'app-off',
      secret: 'app-off-secret-00001',
      role: 'payment_app',
      displayName: 'O',
    });
    await expect(registry.verify('app-off', 'app-off-secret-00001')).resolves.toBeUndefined();
    expect((await registry.find('app-off'))?.disabledAt).toBeInstanceOf(Date);
  });

  it('keeps explicit scopes, de-duplicated', async () => {
    const client = await registry.register({
      clientId: 'app-scoped',
      secret: 'app-scoped-secret-001',
      role: 'payment_app',
      displayName: 'Read only',
      scopes: ['links:read', 'links:read'],
    });
    expect(client.scopes).toEqual(['links:read']);
  });

  it.each([
    ['a short secret', { secret: 'short' }],
    ['an id with a space', { clientId: 'has space' }],
    ['a scope with a quote', { scopes: ['links"read'] }],
    ['an empty display name', { displayName: ' ' }],
    ['an unknown role', { role: 'root' }],
  ])('rejects %s', async (_case, change) => {
    const registration = {
      clientId: 'app-invalid',
      secret: 'app-invalid-secret-01',
      role: 'payment_app',
      displayName: 'I',
    };
    await expect(registry.register({ ...registration, ...change } as never)).rejects.toThrow(
      InvalidClientRegistrationError,
    );
  });

  it('lets the database refuse an unknown role written around the registry', async () => {
    await expect(
      sql.query(
        "INSERT INTO api_clients (client_id, secret_hash, role, scopes, display_name) VALUES ('x', 'h', 'root', '{}', 'x')",
      ),
    ).rejects.toThrow();
  });
});
