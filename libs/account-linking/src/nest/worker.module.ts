import { type DynamicModule, Module } from '@nestjs/common';
import { ActorDefencesProcessManager } from '@lib/account-linking/application/actor-defences/actor-defences.process-manager';
import { BankAccountGuardProcessManager } from '@lib/account-linking/application/bank-account-guard/bank-account-guard.process-manager';
import { CustomerNotificationProcessManager } from '@lib/account-linking/application/customer-notification/customer-notification.process-manager';
import {
  DEFAULT_NOTIFICATION_DISPATCH_SETTINGS,
  NOTIFICATION_DISPATCH_SETTINGS,
  type NotificationDispatchSettings,
} from '@lib/account-linking/application/customer-notification/notification-dispatch-settings';
import { NotificationDispatcher } from '@lib/account-linking/application/customer-notification/notification-dispatcher';
import { FRAUD_RULES } from '@lib/account-linking/application/fraud-rules/fraud-rules';
import { FRAUD_RULE_ACTOR_BLOCKS } from '@lib/account-linking/application/ports/fraud-rule-actor-blocks.port';
import { ActorStreamFraudRuleBlocks } from '@lib/account-linking/application/actor-defences/fraud-rule-actor-blocks';
import { LinkDeadlinesProcessManager } from '@lib/account-linking/application/link-deadlines/link-deadlines.process-manager';
import { LinkTimerFiring } from '@lib/account-linking/application/link-deadlines/link-timer-firing';
import {
  LINK_TIMER_SETTINGS,
  type LinkTimerSettings,
} from '@lib/account-linking/application/link-deadlines/link-timer-settings';
import { LINK_TIMERS } from '@lib/account-linking/application/ports/link-timers.port';
import { ACTOR_BLOCK_TIMERS } from '@lib/account-linking/application/ports/actor-block-timers.port';
import { ActorBlockExpiry } from '@lib/account-linking/application/actor-defences/actor-block-expiry';
import { SqlActorBlockTimers } from '@lib/account-linking/infrastructure/timers/sql-actor-block-timers';
import { NOTIFICATION_ROUTES } from '@lib/account-linking/application/ports/notification-channel.port';
import { NOTIFICATION_OUTBOX } from '@lib/account-linking/application/ports/notification-outbox.port';
import { NOTIFICATION_OUTCOMES } from '@lib/account-linking/application/ports/notification-outcomes.port';
import { PAYMENT_APP_NAMES } from '@lib/account-linking/application/ports/payment-app-names.port';
import { SandboxNotificationOutbox } from '@lib/account-linking/infrastructure/notifications/sandbox-notification-outbox';
import { SqlNotificationOutbox } from '@lib/account-linking/infrastructure/notifications/sql-notification-outbox';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { RegisteredPaymentAppNames } from '@lib/account-linking/infrastructure/payment-apps/registered-payment-app-names';
import { SqlLinkTimers } from '@lib/account-linking/infrastructure/timers/sql-link-timers';
import { PROJECTIONS, ProjectionHost } from '@lib/event-store/nest/projection-host';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import type { AppConfig } from '@lib/platform/config/app-config';
import { NotificationMetrics } from '@lib/platform/metrics/notification-metrics';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { WORK_SIGNALS, WorkSignals } from '@lib/platform/resilience/work-signals';
import { DueWorkPollers, POLL_INTERVAL_MS } from './due-work-pollers';
import { DEBIT_EXPIRY_TIMERS } from '@lib/account-linking/application/ports/keyed-timers.port';
import { DebitExpiry } from '@lib/account-linking/application/debits/debit-expiry';
import { DebitsProcessManager } from '@lib/account-linking/application/debits/debits.process-manager';
import { SqlKeyedTimers } from '@lib/account-linking/infrastructure/timers/sql-keyed-timers';
import { notificationRoutes } from './notification-routes';
import { CASE_OVERDUE_TIMERS } from '@lib/account-linking/application/ports/keyed-timers.port';
import { CasesProcessManager } from '@lib/account-linking/application/cases/cases.process-manager';
import { CaseOverdue } from '@lib/account-linking/application/cases/case-overdue';
import { WebhooksOutProcessManager } from '@lib/account-linking/application/webhooks-out/webhooks-out.process-manager';
import { WebhooksOutWorkerModule } from './webhooks-out-worker.module';
import { LinkNoticeDispatcher } from '@lib/account-linking/application/customer-notification/link-notice-dispatcher';
import { LinkNoticesProcessManager } from '@lib/account-linking/application/customer-notification/link-notices.process-manager';
import { LINK_NOTICE_OUTBOX } from '@lib/account-linking/application/ports/link-notice-outbox.port';
import { SqlLinkNoticeOutbox } from '@lib/account-linking/infrastructure/notifications/sql-link-notice-outbox';
import { LinkNoticePoller } from './link-notice-poller';
import { PolicyReplayRunner } from '@lib/account-linking/application/policy-replay/policy-replay-runner';
import { LogDigestProcessManager } from '@lib/account-linking/application/log-digests/log-digest.process-manager';
import {
  LOG_DIGEST_SETTINGS,
  type LogDigestSettings,
} from '@lib/account-linking/application/log-digests/log-digest-settings';

/**
 * The worker role: projections and process managers that follow the event log, and the pollers that carry
 * out the durable work they record (link timers, customer notifications). The api app imports it when it
 * runs the worker role too (ROLE=all), the worker app on its own. Needs, from global modules:
 * AccountLinkingCoreModule, EventStoreModule, ClientRegistryModule and MetricsModule.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const claimTtlMs = config.WORK_CLAIM_TTL_SECONDS * 1000;
    const dispatch: NotificationDispatchSettings = {
      ...DEFAULT_NOTIFICATION_DISPATCH_SETTINGS,
      maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS,
      retryInitialMs: config.NOTIFICATION_RETRY_INITIAL_SECONDS * 1000,
      claimTtlMs,
    };
    const timers: LinkTimerSettings = { claimTtlMs, batchSize: 50, dormancyDays: config.LINK_DORMANCY_DAYS };
    const logDigests: LogDigestSettings = {
      everyEvents: config.LOG_DIGEST_EVERY_EVENTS,
      intervalMs: config.LOG_DIGEST_INTERVAL_SECONDS * 1000,
    };
    // The process managers' commits wake the pollers of the work they queued (the projection host signals).
    const signals = new WorkSignals();
    return {
      module: WorkerModule,
      imports: [WebhooksOutWorkerModule.forRoot(config.TIMER_POLL_INTERVAL_MS, signals)],
      providers: [
        { provide: WORK_SIGNALS, useValue: signals },
        {
          provide: LINK_TIMERS,
          useFactory: async (sql: SqlClient) => {
            const store = new SqlLinkTimers(sql);
            await store.ensureSchema();
            return store;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: ACTOR_BLOCK_TIMERS,
          useFactory: async (sql: SqlClient) => {
            const store = new SqlActorBlockTimers(sql);
            await store.ensureSchema();
            return store;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: DEBIT_EXPIRY_TIMERS,
          useFactory: async (sql: SqlClient) => {
            const timers = new SqlKeyedTimers(sql, {
              table: 'debit_expiry_timers',
              keyColumn: 'debit_id',
              subjectColumn: 'link_id',
            });
            await timers.ensureSchema();
            return timers;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: CASE_OVERDUE_TIMERS,
          useFactory: async (sql: SqlClient) => {
            const timers = new SqlKeyedTimers(sql, {
              table: 'case_overdue_timers',
              keyColumn: 'case_id',
              subjectColumn: 'link_id',
            });
            await timers.ensureSchema();
            return timers;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: NOTIFICATION_OUTBOX,
          useFactory: async (sql: SqlClient) => {
            const outbox = new SqlNotificationOutbox(sql);
            await outbox.ensureSchema();
            return outbox;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: LINK_NOTICE_OUTBOX,
          useFactory: async (sql: SqlClient) => {
            const outbox = new SqlLinkNoticeOutbox(sql);
            await outbox.ensureSchema();
            return outbox;
          },
          inject: [SQL_CLIENT],
        },
        {
          provide: NOTIFICATION_ROUTES,
          useFactory: (sandbox?: SandboxNotificationOutbox) => notificationRoutes(config, sandbox),
          inject: [{ token: SandboxNotificationOutbox, optional: true }],
        },
        {
          provide: PAYMENT_APP_NAMES,
          useFactory: (clients: ClientRegistry) => new RegisteredPaymentAppNames(clients),
          inject: [CLIENT_REGISTRY],
        },
        // Every settled attempt counts in `kouza_link_notifications_total` (MetricsModule is global).
        { provide: NOTIFICATION_OUTCOMES, useExisting: NotificationMetrics },
        { provide: NOTIFICATION_DISPATCH_SETTINGS, useValue: dispatch },
        { provide: LINK_TIMER_SETTINGS, useValue: timers },
        { provide: LOG_DIGEST_SETTINGS, useValue: logDigests },
        { provide: POLL_INTERVAL_MS, useValue: config.TIMER_POLL_INTERVAL_MS },
        LinkDeadlinesProcessManager,
        CustomerNotificationProcessManager,
        LinkNoticesProcessManager,
        BankAccountGuardProcessManager,
        ActorDefencesProcessManager,
        DebitsProcessManager,
        CasesProcessManager,
        ...FRAUD_RULES.providers,
        { provide: FRAUD_RULE_ACTOR_BLOCKS, useClass: ActorStreamFraudRuleBlocks },
        {
          provide: PROJECTIONS,
          useFactory: (...projections: unknown[]) => [...projections, ...accountLinkingReadModels()],
          inject: [
            LinkDeadlinesProcessManager,
            CustomerNotificationProcessManager,
            LinkNoticesProcessManager,
            BankAccountGuardProcessManager,
            ActorDefencesProcessManager,
            DebitsProcessManager,
            CasesProcessManager,
            ...FRAUD_RULES.processManagers,
            WebhooksOutProcessManager,
          ],
        },
        ProjectionHost,
        LinkTimerFiring,
        ActorBlockExpiry,
        DebitExpiry,
        CaseOverdue,
        NotificationDispatcher,
        PolicyReplayRunner,
        DueWorkPollers,
        LinkNoticeDispatcher,
        LinkNoticePoller,
        // Its checkpoint is its last digest on `log-digests`, not a row of the projection checkpoints.
        LogDigestProcessManager,
      ],
    };
  }
}
