import { InvalidConfigError, loadConfig } from './app-config';

describe('configuration from the environment', () => {
  it('defaults to the embedded store on port 3000 with the sandbox on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './.data', ROLE: 'all' });
    expect(config.storeMode).toBe('embedded');
    expect(config.sandboxEnabled).toBe(true);
  });

  it('picks the PostgreSQL server from DATABASE_URL and turns the sandbox off unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', PORT: '8080' });
    expect(config.storeMode).toBe('postgres');
    expect(config.PORT).toBe(8080);
    expect(config.sandboxEnabled).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', SANDBOX: 'true' }).sandboxEnabled).toBe(true);
  });

  it('picks EventStoreDB when EVENTSTOREDB_URL is set', () => {
    expect(loadConfig({ EVENTSTOREDB_URL: 'esdb://localhost:2113?tls=false' }).storeMode).toBe('eventstoredb');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['EVENTSTOREDB_URL', 'http://x'],
    ['ROLE', 'everything'],
    ['SANDBOX', 'maybe'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });

  it('refuses a split role on the embedded store, which is one process', () => {
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/ROLE:/);
  });
});
