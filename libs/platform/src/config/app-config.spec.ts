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
    ['SMTP_URL', 'http://mail'],
    ['SMTP_FROM', 'nobody'],
    ['SMS_API_URL', 'ftp://sms'],
    ['NOTIFICATION_MAX_ATTEMPTS', '0'],
    ['NOTIFICATION_RETRY_INITIAL_SECONDS', 'soon'],
    ['TIMER_POLL_INTERVAL_MS', '1'],
    ['WORK_CLAIM_TTL_SECONDS', '0'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });

  it('has no production default for the master key: a database server without one is refused', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/SERVICE_MASTER_KEY:/);
  });

  it('has notification channels only where configured, five attempts and a one-second poll by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NOTIFICATION_MAX_ATTEMPTS: 5, TIMER_POLL_INTERVAL_MS: 1000 });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SMS_API_URL).toBeUndefined();
    expect(
      loadConfig({
        SMTP_URL: 'smtp://127.0.0.1:2525',
        SMTP_FROM: 'Kouza Link <no-reply@kouza-link.example>',
        SMS_API_URL: 'https://sms.example/v1/messages',
        SMS_API_KEY: 'key',
        NOTIFICATION_MAX_ATTEMPTS: '3',
      }),
    ).toMatchObject({ SMTP_URL: 'smtp://127.0.0.1:2525', SMS_API_KEY: 'key', NOTIFICATION_MAX_ATTEMPTS: 3 });
  });

  it('refuses an SMTP relay without a sender, and an SMS provider without a key', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toThrow(/SMTP_FROM:/);
    expect(() => loadConfig({ SMS_API_URL: 'https://sms.example/v1/messages' })).toThrow(/SMS_API_KEY:/);
  });

  it('refuses a split role on the embedded store, which is one process', () => {
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/ROLE:/);
  });
});
