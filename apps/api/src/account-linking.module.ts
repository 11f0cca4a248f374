import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DriveLinkHandler } from '@lib/account-linking/application/commands/drive-link/drive-link.handler';
import { RecordBankEventHandler } from '@lib/account-linking/application/commands/record-bank-event/record-bank-event.handler';
import { RequestLinkHandler } from '@lib/account-linking/application/commands/request-link/request-link.handler';
import { RevokeLinkHandler } from '@lib/account-linking/application/commands/revoke-link/revoke-link.handler';
import { LinkCommandRunner } from '@lib/account-linking/application/link-command-runner';
import { BANK_ACCOUNT_TOKENS } from '@lib/account-linking/application/ports/bank-account-tokens.port';
import { BANK_DIRECTORY } from '@lib/account-linking/application/ports/bank-directory.port';
import { CLOCK, systemClock } from '@lib/account-linking/application/ports/clock.port';
import { LINKING_SETTINGS, type LinkingSettings } from '@lib/account-linking/application/ports/linking-settings.port';
import { PERSONAL_DATA_VAULT } from '@lib/account-linking/application/ports/personal-data-vault.port';
import { GetLinkHandler } from '@lib/account-linking/application/queries/get-link/get-link.handler';
import { DEFAULT_KYC_MATCH_RULE } from '@lib/account-linking/domain/kyc/kyc-match.policy';
import { DEFAULT_ACCOUNT_LOCKOUT } from '@lib/account-linking/domain/policies/account-lockout.policy';
import { allowedEkycMethods } from '@lib/account-linking/domain/policies/ekyc-method.policy';
import { SqlBankRegistry } from '@lib/account-linking/infrastructure/banks/sql-bank-registry';
import { CipherPersonalDataVault } from '@lib/account-linking/infrastructure/personal-data/cipher-personal-data-vault';
import { KeyedHashBankAccountTokens } from '@lib/account-linking/infrastructure/personal-data/keyed-hash-bank-account-tokens';
import type { AppConfig } from '@lib/platform/config/app-config';
import { loadServiceKeys, type ServiceKeys } from '@lib/platform/config/service-keys';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { IdempotencyStore } from '@lib/platform/idempotency/idempotency-store';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { WebhookReceipts } from '@lib/platform/webhooks/webhook-receipts';
import { BankEventsHttpController } from './banks/bank-events.http.controller';
import { LinksHttpController } from './links/links.http.controller';
import { SandboxBankSeeder } from './sandbox/sandbox-bank.seeder';
import { SimulatedBankHttpController } from './sandbox/simulated-bank.http.controller';
import { SANDBOX_BANK_ENV } from './sandbox/sandbox-bank';

export const SERVICE_KEYS = Symbol('SERVICE_KEYS');

/** Wires the account-linking context: its ports to their adapters, its handlers, its HTTP edge. */
@Module({})
export class AccountLinkingModule {
  static forRoot(config: AppConfig, env: Record<string, string | undefined> = process.env): DynamicModule {
    const settings: LinkingSettings = {
      allowedEkycMethods: allowedEkycMethods(new Date(config.PHOTO_ID_EKYC_ALLOWED_UNTIL).toISOString()),
      requestTtlMinutes: config.LINK_REQUEST_TTL_MINUTES,
      kycMatchRule: DEFAULT_KYC_MATCH_RULE,
      lockout: DEFAULT_ACCOUNT_LOCKOUT,
    };
    return {
      module: AccountLinkingModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        LinksHttpController,
        BankEventsHttpController,
        ...(config.sandboxEnabled ? [SimulatedBankHttpController] : []),
      ],
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
          provide: SqlBankRegistry,
          useFactory: async (sql: SqlClient, cipher: PersonalDataCipher) => {
            const registry = new SqlBankRegistry(sql, cipher);
            await registry.ensureSchema((script) => sql.exec(script));
            return registry;
          },
          inject: [SQL_CLIENT, PersonalDataCipher],
        },
        {
          provide: WebhookReceipts,
          useFactory: async (sql: SqlClient) => {
            const receipts = new WebhookReceipts(sql);
            await receipts.ensureSchema();
            return receipts;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: IdempotencyStore,
          useFactory: async (sql: SqlClient, keys: ServiceKeys) => {
            const store = new IdempotencyStore(sql, keys.idempotencyKey);
            await store.ensureSchema();
            return store;
          },
          inject: [SQL_CLIENT, SERVICE_KEYS],
        },
        IdempotencyInterceptor,
        { provide: BANK_DIRECTORY, useExisting: SqlBankRegistry },
        {
          provide: PERSONAL_DATA_VAULT,
          useFactory: (cipher: PersonalDataCipher, hash: KeyedHash) => new CipherPersonalDataVault(cipher, hash),
          inject: [PersonalDataCipher, KeyedHash],
        },
        {
          provide: BANK_ACCOUNT_TOKENS,
          useFactory: (hash: KeyedHash) => new KeyedHashBankAccountTokens(hash),
          inject: [KeyedHash],
        },
        { provide: LINKING_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: systemClock },
        LinkCommandRunner,
        RequestLinkHandler,
        RecordBankEventHandler,
        RevokeLinkHandler,
        DriveLinkHandler,
        GetLinkHandler,
        ...(config.sandboxEnabled ? [{ provide: SANDBOX_BANK_ENV, useValue: env }, SandboxBankSeeder] : []),
      ],
      exports: [SqlBankRegistry, KeyedHash, PersonalDataCipher, CLOCK],
    };
  }
}
