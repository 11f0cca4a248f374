import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import {
  DEFAULT_WEBHOOK_DELIVERY_SETTINGS,
  WEBHOOK_DELIVERY_SETTINGS,
  type WebhookDeliverySettings,
} from '@lib/account-linking/application/webhooks-out/webhook-delivery-settings';
import { WebhookEndpoints } from '@lib/account-linking/application/webhooks-out/webhook-endpoints';
import { WEBHOOK_OUTBOX, WEBHOOK_READS } from '@lib/account-linking/application/webhooks-out/webhook-outbox.port';
import { WEBHOOK_SECRET_SEALER } from '@lib/account-linking/application/webhooks-out/webhook-secret-sealer.port';
import { WEBHOOK_URL_POLICY } from '@lib/account-linking/application/webhooks-out/webhook-url-policy.port';
import { CipherWebhookSecretSealer } from '@lib/account-linking/infrastructure/webhooks-out/cipher-webhook-secret-sealer';
import { SqlWebhooksOut } from '@lib/account-linking/infrastructure/webhooks-out/sql-webhooks-out';
import {
  systemResolver,
  WebhookAddressRules,
  type WebhookHostResolver,
} from '@lib/account-linking/infrastructure/webhooks-out/webhook-address-rules';
import { WebhookMetrics } from '@lib/account-linking/infrastructure/webhooks-out/webhook-metrics';
import type { AppConfig } from '@lib/platform/config/app-config';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { Registry } from 'prom-client';

/** How host names are resolved for webhooks out (tests give one of their own). */
export const WEBHOOK_HOST_RESOLVER = Symbol('WEBHOOK_HOST_RESOLVER');

export function webhookDeliverySettingsOf(config: AppConfig): WebhookDeliverySettings {
  return {
    ...DEFAULT_WEBHOOK_DELIVERY_SETTINGS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryScheduleMs: config.webhookRetryScheduleSeconds.map((seconds) => seconds * 1000),
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
    claimTtlMs: config.WORK_CLAIM_TTL_SECONDS * 1000,
    concurrentEndpoints: config.WEBHOOK_CONCURRENT_ENDPOINTS,
    allowPrivateNetworks: config.webhookAllowPrivateNetworks,
  };
}

/**
 * What both roles need of webhooks out: the outbox tables, the endpoint streams, the sealed secrets, the
 * address rules and the settings. Global, so the api's handlers and the worker's dispatcher find them.
 */
@Global()
@Module({})
export class WebhooksOutModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings = webhookDeliverySettingsOf(config);
    return {
      module: WebhooksOutModule,
      providers: [
        {
          provide: SqlWebhooksOut,
          useFactory: async (sql: SqlClient) => {
            const store = new SqlWebhooksOut(sql);
            await store.ensureSchema();
            return store;
          },
          inject: [SQL_CLIENT],
        },
        { provide: WEBHOOK_OUTBOX, useExisting: SqlWebhooksOut },
        { provide: WEBHOOK_READS, useExisting: SqlWebhooksOut },
        {
          provide: WEBHOOK_SECRET_SEALER,
          useFactory: (cipher: PersonalDataCipher) => new CipherWebhookSecretSealer(cipher),
          inject: [PersonalDataCipher],
        },
        { provide: WEBHOOK_DELIVERY_SETTINGS, useValue: settings },
        { provide: WEBHOOK_HOST_RESOLVER, useValue: systemResolver },
        {
          provide: WEBHOOK_URL_POLICY,
          useFactory: (resolve: WebhookHostResolver) => new WebhookAddressRules(settings.allowPrivateNetworks, resolve),
          inject: [WEBHOOK_HOST_RESOLVER],
        },
        {
          provide: WebhookMetrics,
          useFactory: (registry: Registry, outbox: SqlWebhooksOut, clock: Clock) =>
            new WebhookMetrics(registry, outbox, clock),
          inject: [Registry, SqlWebhooksOut, CLOCK],
        },
        WebhookEndpoints,
      ],
      exports: [
        WEBHOOK_OUTBOX,
        WEBHOOK_READS,
        WEBHOOK_SECRET_SEALER,
        WEBHOOK_DELIVERY_SETTINGS,
        WEBHOOK_HOST_RESOLVER,
        WEBHOOK_URL_POLICY,
        WebhookMetrics,
        WebhookEndpoints,
      ],
    };
  }
}
