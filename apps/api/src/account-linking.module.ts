import { type DynamicModule, Module } from '@nestjs/common';
import { AddBankWebhookKeyHandler } from '@lib/account-linking/application/commands/add-bank-webhook-key/add-bank-webhook-key.handler';
import { EndBankWebhookKeyValidityHandler } from '@lib/account-linking/application/commands/end-bank-webhook-key-validity/end-bank-webhook-key-validity.handler';
import { ProvisionBankWebhookKeyHandler } from '@lib/account-linking/application/commands/provision-bank-webhook-key/provision-bank-webhook-key.handler';
import { RegisterBankHandler } from '@lib/account-linking/application/commands/register-bank/register-bank.handler';
import { LiftBankSuspensionHandler } from '@lib/account-linking/application/commands/lift-bank-suspension/lift-bank-suspension.handler';
import { RecordBankEventHandler } from '@lib/account-linking/application/commands/record-bank-event/record-bank-event.handler';
import { RequestLinkHandler } from '@lib/account-linking/application/commands/request-link/request-link.handler';
import { RevokeLinkHandler } from '@lib/account-linking/application/commands/revoke-link/revoke-link.handler';
import { SuspendBankHandler } from '@lib/account-linking/application/commands/suspend-bank/suspend-bank.handler';
import { GetBankRegistrationHandler } from '@lib/account-linking/application/queries/get-bank-registration/get-bank-registration.handler';
import { GetLinkHandler } from '@lib/account-linking/application/queries/get-link/get-link.handler';
import type { AppConfig } from '@lib/platform/config/app-config';
import type { ServiceKeys } from '@lib/platform/config/service-keys';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { IdempotencyStore } from '@lib/platform/idempotency/idempotency-store';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { WebhookReceipts } from '@lib/platform/webhooks/webhook-receipts';
import { SERVICE_KEYS } from '@lib/account-linking/nest/account-linking-core.module';
import { AdminAudit } from './admin/admin-audit';
import { BankRegistrationHttpController } from './admin/banks/bank-registration.http.controller';
import { BankSuspensionHttpController } from './admin/banks/bank-suspension.http.controller';
import { BankWebhookKeysHttpController } from './admin/banks/bank-webhook-keys.http.controller';
import { ClientsHttpController } from './admin/clients/clients.http.controller';
import { LiftActorBlockHandler } from '@lib/account-linking/application/commands/lift-actor-block/lift-actor-block.handler';
import { ListActorBlocksHandler } from '@lib/account-linking/application/queries/actor-blocks/list-actor-blocks.handler';
import { ActorBlocksHttpController } from './admin/actor-blocks/actor-blocks.http.controller';
import { AdminLinksHttpController } from './admin/links/admin-links.http.controller';
import { DataSubjectErasureHttpController } from './admin/data-subjects/data-subject-erasure.http.controller';
import { HashChainMigrationHttpController } from './admin/evidence/hash-chain-migration.http.controller';
import { LogDigestsAdminHttpController } from './admin/evidence/log-digests.http.controller';
import { EraseDataSubjectHandler } from '@lib/account-linking/application/commands/erase-data-subject/erase-data-subject.handler';
import { BankLinksSuspensionHandler } from '@lib/account-linking/application/commands/bank-links-suspension/bank-links-suspension.handler';
import { BankEventsHttpController } from './banks/bank-events.http.controller';
import { LinksHttpController } from './links/links.http.controller';
import { RequestDeviceRebindingHandler } from '@lib/account-linking/application/commands/request-device-rebinding/request-device-rebinding.handler';
import { DeviceRebindingHttpController } from './links/device-rebinding.http.controller';
import { SimulatedReauthenticationHttpController } from './sandbox/simulated-reauthentication.http.controller';
import { SANDBOX_BANK_ENV, SandboxBankSeeder } from './sandbox/sandbox-bank.seeder';
import { SandboxBankWebhooks } from './sandbox/sandbox-bank-webhooks';
import { SandboxBankWebhooksHttpController } from './sandbox/sandbox-bank-webhooks.http.controller';
import { SandboxNotificationsHttpController } from './sandbox/sandbox-notifications.http.controller';
import { SimulatedBankHttpController } from './sandbox/simulated-bank.http.controller';
import { LINK_LIMITS_API } from './links/limits/link-limits-api';
import { WEBHOOKS_OUT_API } from './webhooks-out/webhooks-out-api';
import { DEBITS_API } from './debits/debits-api';
import { CASES_API } from './cases/cases-api';

export { SERVICE_KEYS };

/**
 * The api role of the account-linking context: its HTTP edge and the handlers behind it. The ports and
 * adapters it uses come from AccountLinkingCoreModule (global), which the worker role shares.
 */
@Module({})
export class AccountLinkingModule {
  static forRoot(config: AppConfig, env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: AccountLinkingModule,
      controllers: [
        LinksHttpController,
        DeviceRebindingHttpController,
        BankEventsHttpController,
        BankSuspensionHttpController,
        AdminLinksHttpController,
        DataSubjectErasureHttpController,
        HashChainMigrationHttpController,
        LogDigestsAdminHttpController,
        ActorBlocksHttpController,
        BankRegistrationHttpController,
        BankWebhookKeysHttpController,
        ClientsHttpController,
        ...WEBHOOKS_OUT_API.controllers,
        ...DEBITS_API.controllers,
        ...CASES_API.controllers,
        ...LINK_LIMITS_API.controllers,
        ...(config.sandboxEnabled
          ? [
              SimulatedBankHttpController,
              SimulatedReauthenticationHttpController,
              SandboxBankWebhooksHttpController,
              SandboxNotificationsHttpController,
            ]
          : []),
      ],
      providers: [
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
        RequestLinkHandler,
        RecordBankEventHandler,
        RevokeLinkHandler,
        RequestDeviceRebindingHandler,
        SuspendBankHandler,
        LiftBankSuspensionHandler,
        RegisterBankHandler,
        AddBankWebhookKeyHandler,
        EndBankWebhookKeyValidityHandler,
        ProvisionBankWebhookKeyHandler,
        BankLinksSuspensionHandler,
        GetLinkHandler,
        LiftActorBlockHandler,
        ListActorBlocksHandler,
        GetBankRegistrationHandler,
        AdminAudit,
        EraseDataSubjectHandler,
        ...WEBHOOKS_OUT_API.providers,
        ...DEBITS_API.providers,
        ...LINK_LIMITS_API.providers,
        ...(config.sandboxEnabled
          ? [{ provide: SANDBOX_BANK_ENV, useValue: env }, SandboxBankSeeder, SandboxBankWebhooks]
          : []),
      ],
    };
  }
}
