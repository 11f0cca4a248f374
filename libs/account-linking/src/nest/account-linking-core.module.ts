import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DriveLinkHandler } from '@lib/account-linking/application/commands/drive-link/drive-link.handler';
import { LINK_COMMAND_SIDE } from '@lib/account-linking/application/link-command-side';
import { ACTOR_KEYS } from '@lib/account-linking/application/ports/actor-keys.port';
import { BANK_ACCOUNT_TOKENS } from '@lib/account-linking/application/ports/bank-account-tokens.port';
import { ImportLegacyBanksHandler } from '@lib/account-linking/application/commands/import-legacy-banks/import-legacy-banks.handler';
import { LegacyBankImportOnStart } from '@lib/account-linking/application/commands/import-legacy-banks/legacy-bank-import.on-start';
import { BANK_DIRECTORY } from '@lib/account-linking/application/ports/bank-directory.port';
import { BANK_REGISTRY } from '@lib/account-linking/application/ports/bank-registry.port';
import { BANK_WEBHOOK_KEYS } from '@lib/account-linking/application/ports/bank-webhook-keys.port';
import { LEGACY_BANK_RECORDS } from '@lib/account-linking/application/ports/legacy-bank-records.port';
import {
  WEBHOOK_KEY_SEALER,
  type WebhookKeySealer,
} from '@lib/account-linking/application/ports/webhook-key-sealer.port';
import { LogDigests } from '@lib/account-linking/application/log-digests/log-digests';
import { CLOCK, systemClock } from '@lib/account-linking/application/ports/clock.port';
import { LINKING_SETTINGS, type LinkingSettings } from '@lib/account-linking/application/ports/linking-settings.port';
import { PERSONAL_DATA_VAULT } from '@lib/account-linking/application/ports/personal-data-vault.port';
import { CASE_SETTINGS, ComplaintCases } from '@lib/account-linking/application/cases/complaint-cases';
import { DEFAULT_KYC_MATCH_RULE } from '@lib/account-linking/domain/kyc/kyc-match.policy';
import { DEFAULT_ACCOUNT_LOCKOUT } from '@lib/account-linking/domain/policies/account-lockout.policy';
import { allowedEkycMethods } from '@lib/account-linking/domain/policies/ekyc-method.policy';
import { CommandMetrics } from '@lib/account-linking/infrastructure/metrics/command-metrics';
import { CipherWebhookKeySealer } from '@lib/account-linking/infrastructure/banks/cipher-webhook-key-sealer';
import { SqlLegacyBankRecords } from '@lib/account-linking/infrastructure/banks/sql-legacy-bank-records';
import { StreamBankRegistry } from '@lib/account-linking/infrastructure/banks/stream-bank-registry';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { SandboxNotificationOutbox } from '@lib/account-linking/infrastructure/notifications/sandbox-notification-outbox';
import { CipherPersonalDataVault } from '@lib/account-linking/infrastructure/personal-data/cipher-personal-data-vault';
import { KeyedHashActorKeys } from '@lib/account-linking/infrastructure/personal-data/keyed-hash-actor-keys';
import { KeyedHashBankAccountTokens } from '@lib/account-linking/infrastructure/personal-data/keyed-hash-bank-account-tokens';
import type { AppConfig } from '@lib/platform/config/app-config';
import { loadServiceKeys, type ServiceKeys } from '@lib/platform/config/service-keys';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { POLICY_REPLAYS } from '@lib/account-linking/application/ports/policy-replays.port';
import { SqlPolicyReplays } from '@lib/account-linking/infrastructure/policy-replay/sql-policy-replays';
import { WebhooksOutModule } from './webhooks-out.module';

export const SERVICE_KEYS = Symbol('SERVICE_KEYS');

/**
 * What both roles need of the account-linking context: its ports wired to their adapters, the command bus
 * (counted in the metrics: needs MetricsModule) and the way processes drive a link (DriveLinkCommand). The
 * api role adds its HTTP edge, the worker its process managers.
 */
/** R8 per actor kind; a block lasts as long as its window. */
const actorDefencesOf = (config: AppConfig): LinkingSettings['actorDefences'] => ({
  device: {
    threshold: config.ACTOR_DEVICE_THRESHOLD,
    windowMinutes: config.ACTOR_DEVICE_WINDOW_MINUTES,
    blockMinutes: config.ACTOR_DEVICE_WINDOW_MINUTES,
  },
  customer: {
    threshold: config.ACTOR_CUSTOMER_THRESHOLD,
    windowMinutes: config.ACTOR_CUSTOMER_WINDOW_MINUTES,
    blockMinutes: config.ACTOR_CUSTOMER_WINDOW_MINUTES,
  },
  ip_address: {
    threshold: config.ACTOR_IP_THRESHOLD,
    windowMinutes: config.ACTOR_IP_WINDOW_MINUTES,
    blockMinutes: config.ACTOR_IP_WINDOW_MINUTES,
  },
});

@Global()
@Module({})
export class AccountLinkingCoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings: LinkingSettings = {
      allowedEkycMethods: allowedEkycMethods(new Date(config.PHOTO_ID_EKYC_ALLOWED_UNTIL).toISOString()),
      requestTtlMinutes: config.LINK_REQUEST_TTL_MINUTES,
      staleClaimSeconds: config.LINK_CLAIM_STALE_SECONDS,
      actorDefences: actorDefencesOf(config),
      kycMatchRule: DEFAULT_KYC_MATCH_RULE,
      lockout: DEFAULT_ACCOUNT_LOCKOUT,
    };
    const sandboxOutbox = config.sandboxEnabled
      ? [
          {
            provide: SandboxNotificationOutbox,
            useFactory: async (sql: SqlClient) => {
              const outbox = new SandboxNotificationOutbox(sql);
              await outbox.ensureSchema();
              return outbox;
            },
            inject: [SQL_CLIENT],
          },
        ]
      : [];
    return {
      module: AccountLinkingCoreModule,
      imports: [CqrsModule.forRoot(), WebhooksOutModule.forRoot(config)],
      providers: [
        {
          provide: SERVICE_KEYS,
          useFactory: () =>
            loadServiceKeys(config, (path) =>
              new Logger('ServiceKeys').warn(`Generated a service master key in ${path} (embedded mode only)`),
            ),
        },
        {
          provide: KeyedHash,
          useFactory: (keys: ServiceKeys) => new KeyedHash(keys.lookupHashKey),
          inject: [SERVICE_KEYS],
        },
        {
          provide: PersonalDataCipher,
          useFactory: async (sql: SqlClient, keys: ServiceKeys) => {
            const cipher = new PersonalDataCipher(sql, keys.personalDataMasterKey);
            await cipher.ensureSchema();
            return cipher;
          },
          inject: [SQL_CLIENT, SERVICE_KEYS],
        },
        {
          provide: WEBHOOK_KEY_SEALER,
          useFactory: (cipher: PersonalDataCipher, hash: KeyedHash) => new CipherWebhookKeySealer(cipher, hash),
          inject: [PersonalDataCipher, KeyedHash],
        },
        {
          provide: StreamBankRegistry,
          useFactory: (store: EventStore, sealer: WebhookKeySealer) => new StreamBankRegistry(store, sealer),
          inject: [EVENT_STORE, WEBHOOK_KEY_SEALER],
        },
        { provide: BANK_REGISTRY, useExisting: StreamBankRegistry },
        { provide: BANK_DIRECTORY, useExisting: StreamBankRegistry },
        { provide: BANK_WEBHOOK_KEYS, useExisting: StreamBankRegistry },
        {
          provide: LEGACY_BANK_RECORDS,
          useFactory: (sql: SqlClient) => new SqlLegacyBankRecords(sql),
          inject: [SQL_CLIENT],
        },
        ImportLegacyBanksHandler,
        LegacyBankImportOnStart,
        {
          provide: PERSONAL_DATA_VAULT,
          useFactory: (cipher: PersonalDataCipher, hash: KeyedHash) => new CipherPersonalDataVault(cipher, hash),
          inject: [PersonalDataCipher, KeyedHash],
        },
        {
          provide: ACTOR_KEYS,
          useFactory: (hash: KeyedHash) => new KeyedHashActorKeys(hash),
          inject: [KeyedHash],
        },
        {
          provide: BANK_ACCOUNT_TOKENS,
          useFactory: (hash: KeyedHash) => new KeyedHashBankAccountTokens(hash),
          inject: [KeyedHash],
        },
        {
          provide: POLICY_REPLAYS,
          useFactory: async (sql: SqlClient) => {
            const replays = new SqlPolicyReplays(sql);
            await replays.ensureSchema();
            return replays;
          },
          inject: [SQL_CLIENT],
        },
        { provide: LINKING_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: systemClock },
        { provide: CASE_SETTINGS, useValue: { responseBusinessDays: config.CASE_RESPONSE_BUSINESS_DAYS } },
        ComplaintCases,
        LogDigests,
        ...LINK_COMMAND_SIDE,
        DriveLinkHandler,
        CommandMetrics,
        ...sandboxOutbox,
      ],
      exports: [
        SERVICE_KEYS,
        KeyedHash,
        PersonalDataCipher,
        WEBHOOK_KEY_SEALER,
        BANK_REGISTRY,
        BANK_DIRECTORY,
        BANK_WEBHOOK_KEYS,
        PERSONAL_DATA_VAULT,
        BANK_ACCOUNT_TOKENS,
        ACTOR_KEYS,
        LINKING_SETTINGS,
        POLICY_REPLAYS,
        CLOCK,
        CASE_SETTINGS,
        ComplaintCases,
        LogDigests,
        ...LINK_COMMAND_SIDE,
        ...(config.sandboxEnabled ? [SandboxNotificationOutbox] : []),
      ],
    };
  }
}
