import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (({ true: true, '1': true, false: false, '0': false } as const)[value] ?? value) : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** Every setting comes from the environment; `loadConfig` validates them all before anything starts. */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Embedded PGlite data folder, used when DATABASE_URL is unset. */
  @IsString()
  DATA_DIR = './.data';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * Connections to the PostgreSQL server. Each active projection runner holds one for its lock while it runs:
   * eleven in the worker today (the read models links, account-history, actor-blocks and actor-signals; the
   * process managers link-deadlines, customer-notification, bank-account-guard, actor-defences, the fraud
   * rules customer-objected and account-closed, and webhooks-out), and a blue/green rebuild one more. The
   * default leaves eight for requests, the appends the process managers make meanwhile, and the notification,
   * timer and webhook dispatchers (whose up to WEBHOOK_CONCURRENT_ENDPOINTS turns queue for them); the
   * minimum still leaves three. A new projection takes one from that room: count it here.
   */
  @Transform(toInt)
  @IsInt()
  @Min(15)
  @Max(500)
  DATABASE_POOL_MAX = 20;

  @IsOptional()
  // Only the schemes @eventstore/db-client 6.2.1 parses; kurrentdb:// would need @kurrent/kurrentdb-client.
  @Matches(/^(esdb|esdb\+discover):\/\//, {
    message: 'EVENTSTOREDB_URL must be an esdb:// (or esdb+discover://) connection string',
  })
  EVENTSTOREDB_URL?: string;

  /** `all` runs the api and worker roles in one process (the only choice with embedded PGlite). */
  @IsIn(['all', 'api', 'worker'])
  ROLE: 'all' | 'api' | 'worker' = 'all';

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  SANDBOX?: boolean;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * 32 random bytes, base64: the root of the keys that seal personal data, hash lookups and seal stored
   * responses. Required outside the embedded mode; there it is generated once into DATA_DIR.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'SERVICE_MASTER_KEY must be 32 bytes in base64 (44 characters)' })
  SERVICE_MASTER_KEY?: string;

  /** Photo-of-ID eKYC methods are being retired (R1): links relying on them are refused from this instant. */
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'PHOTO_ID_EKYC_ALLOWED_UNTIL must be an ISO 8601 date-time with a zone',
  })
  PHOTO_ID_EKYC_ALLOWED_UNTIL = '2027-04-01T00:00:00+09:00';

  /** How long a bank has to authenticate the customer before the request expires. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  LINK_REQUEST_TTL_MINUTES = 30;

  /** An active link with no authorised debit for this many days expires (reason `dormant`); about 13 months. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3660)
  LINK_DORMANCY_DAYS = 395;

  /** API.md "Complaint cases": a case's `respondBy` is this many Japanese business days after it opens. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  CASE_RESPONSE_BUSINESS_DAYS = 5;

  /**
   * A request's claim on a bank account whose link never started (its process died in between) is freed by
   * the next request for the same app and account once it is this old.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  LINK_CLAIM_STALE_SECONDS = 30;

  /** Actor defences (R8, reverse brute force): distinct accounts failing in the window that block a device. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ACTOR_DEVICE_THRESHOLD = 3;

  /** The device's window, which is also how long its block lasts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(525_600)
  ACTOR_DEVICE_WINDOW_MINUTES = 1440;

  /** The same for an app's customer. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ACTOR_CUSTOMER_THRESHOLD = 3;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(525_600)
  ACTOR_CUSTOMER_WINDOW_MINUTES = 1440;

  /** The same for the end user's address (`device.ipAddress`; IPv6 by /64). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ACTOR_IP_THRESHOLD = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(525_600)
  ACTOR_IP_WINDOW_MINUTES = 60;

  /** SMTP relay for customer notifications by e-mail (a nodemailer URL); without it there is no e-mail channel. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender of customer e-mails (`no-reply@example.jp` or `Name <no-reply@example.jp>`); required with SMTP_URL. */
  @IsOptional()
  @Matches(/^([^<>@]*<)?[^\s<>@]+@[^\s<>@]+>?$/, { message: 'SMTP_FROM must be an e-mail address' })
  SMTP_FROM?: string;

  /** The SMS provider's send endpoint; without it there is no SMS channel. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'SMS_API_URL must be an http:// or https:// URL' })
  SMS_API_URL?: string;

  /** The SMS provider's API key (sent as a bearer token); required with SMS_API_URL. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  SMS_API_KEY?: string;

  /** Attempts to notify a customer before the link is rejected for manual review. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFICATION_MAX_ATTEMPTS = 5;

  /** Backoff before the second notification attempt; it doubles per attempt, with jitter. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  NOTIFICATION_RETRY_INITIAL_SECONDS = 30;

  /** How often the worker looks for due timers and notifications. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  TIMER_POLL_INTERVAL_MS = 1000;

  /** How long a worker holds a timer or notification it took; after a crash another worker takes it then. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  WORK_CLAIM_TTL_SECONDS = 60;

  /** The worker records a signed digest of the whole log after this many new events (README "Log digest"). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  LOG_DIGEST_EVERY_EVENTS = 10_000;

  /** …or once this long has passed since the last digest, when at least one new event exists. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2_678_400)
  LOG_DIGEST_INTERVAL_SECONDS = 3600;

  /**
   * Webhooks out may reach private, loopback and link-local addresses and plain `http:` (local development
   * and tests). Unset: on only with the sandbox in the embedded mode, so a newcomer's local receiver works.
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: boolean;

  /** How long a webhook receiver has to answer (API.md: 15 s). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 15_000;

  /** Waits before each retry of a webhook delivery, in seconds, comma-separated; past the last it has failed. */
  @Matches(/^\d{1,6}(,\d{1,6}){0,19}$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE_SECONDS must be 1 to 20 whole numbers of seconds, comma-separated',
  })
  WEBHOOK_RETRY_SCHEDULE_SECONDS = '5,300,1800,7200,18000,36000,36000';

  /** An endpoint whose every delivery failed for this long is disabled (API.md: 5 days). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8_760)
  WEBHOOK_DISABLE_AFTER_HOURS = 120;

  /** Endpoints one worker delivers to at once (each endpoint's deliveries go one after another). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  WEBHOOK_CONCURRENT_ENDPOINTS = 16;

  get webhookAllowPrivateNetworks(): boolean {
    return this.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? (this.sandboxEnabled && this.storeMode === 'embedded');
  }

  get webhookRetryScheduleSeconds(): number[] {
    return this.WEBHOOK_RETRY_SCHEDULE_SECONDS.split(',').map(Number);
  }

  get storeMode(): 'embedded' | 'postgres' | 'eventstoredb' {
    if (this.EVENTSTOREDB_URL) return 'eventstoredb';
    return this.DATABASE_URL ? 'postgres' : 'embedded';
  }

  /** The sandbox is on by default only in the embedded mode (API.md "Sandbox"). */
  get sandboxEnabled(): boolean {
    return this.SANDBOX ?? this.storeMode === 'embedded';
  }
}

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && value !== '' && known.includes(key)),
  );
  for (const optional of [
    'DATABASE_URL',
    'EVENTSTOREDB_URL',
    'SANDBOX',
    'SERVICE_MASTER_KEY',
    'SMTP_URL',
    'SMTP_FROM',
    'SMS_API_URL',
    'SMS_API_KEY',
    'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
  ] as const) {
    if (env[optional]) relevant[optional] = env[optional];
  }
  const config = plainToInstance(AppConfig, relevant);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidConfigError(
      errors.map((error) => ({
        variable: error.property,
        message: Object.values(error.constraints ?? {}).join(', ') || 'invalid value',
      })),
    );
  }
  if (config.storeMode !== 'embedded' && !config.SERVICE_MASTER_KEY) {
    throw new InvalidConfigError([
      { variable: 'SERVICE_MASTER_KEY', message: 'required with a database server (32 random bytes, base64)' },
    ]);
  }
  if (config.SMTP_URL && !config.SMTP_FROM) {
    throw new InvalidConfigError([{ variable: 'SMTP_FROM', message: 'required with SMTP_URL (the sender address)' }]);
  }
  if (config.SMS_API_URL && !config.SMS_API_KEY) {
    throw new InvalidConfigError([{ variable: 'SMS_API_KEY', message: 'required with SMS_API_URL' }]);
  }
  if (config.storeMode === 'embedded' && config.ROLE !== 'all') {
    throw new InvalidConfigError([
      { variable: 'ROLE', message: 'the embedded store (no DATABASE_URL) is one process: ROLE must be all' },
    ]);
  }
  return config;
}
