import { InvalidConfigError, loadConfig } from './app-config';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('configuration from the environment', () => {
  it('defaults to the embedded store on port 3000 with the sandbox on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './.data', ROLE: 'all' });
    expect(config.storeMode).toBe('embedded');
    expect(config.sandboxEnabled).toBe(true);
  });

  it('picks the PostgreSQL server from DATABASE_URL and turns the sandbox off unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', PORT: '8080', SERVICE_MASTER_KEY: KEY });
    expect(config.storeMode).toBe('postgres');
    expect(config.PORT).toBe(8080);
    expect(config.sandboxEnabled).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@h/db', SANDBOX: 'true', SERVICE_MASTER_KEY: KEY }).sandboxEnabled,
    ).toBe(true);
  });

  it('picks EventStoreDB when EVENTSTOREDB_URL is set', () => {
    expect(loadConfig({ EVENTSTOREDB_URL: 'esdb://localhost:2113?tls=false', SERVICE_MASTER_KEY: KEY }).storeMode).toBe(
      'eventstoredb',
    );
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['EVENTSTOREDB_URL', 'http://x'],
    ['ROLE', 'everything'],
    ['SANDBOX', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['SERVICE_MASTER_KEY', 'short'],
    ['PHOTO_ID_EKYC_ALLOWED_UNTIL', 'next year'],
    ['LINK_REQUEST_TTL_MINUTES', '0'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });

  it('has no production default for the master key: a database server without one is refused', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/SERVICE_MASTER_KEY:/);
  });

  it('refuses a split role on the embedded store, which is one process', () => {
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/ROLE:/);
  });
});
