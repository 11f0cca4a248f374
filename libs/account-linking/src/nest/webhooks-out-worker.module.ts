import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WEBHOOK_DELIVERY_OUTCOMES } from '@lib/account-linking/application/webhooks-out/webhook-delivery-outcomes.port';
import {
  WEBHOOK_DELIVERY_SETTINGS,
  type WebhookDeliverySettings,
} from '@lib/account-linking/application/webhooks-out/webhook-delivery-settings';
import { WebhookDispatcher } from '@lib/account-linking/application/webhooks-out/webhook-dispatcher';
import { WEBHOOK_SENDER } from '@lib/account-linking/application/webhooks-out/webhook-sender.port';
import { WebhooksOutProcessManager } from '@lib/account-linking/application/webhooks-out/webhooks-out.process-manager';
import { GuardedHttpWebhookSender } from '@lib/account-linking/infrastructure/webhooks-out/guarded-http-webhook-sender';
import type { WebhookHostResolver } from '@lib/account-linking/infrastructure/webhooks-out/webhook-address-rules';
import { WebhookMetrics } from '@lib/account-linking/infrastructure/webhooks-out/webhook-metrics';
import { WORK_KINDS } from '@lib/account-linking/application/work-kinds';
import { PollingLoop } from '@lib/platform/resilience/polling-loop';
import { WORK_SIGNALS, type WorkSignals } from '@lib/platform/resilience/work-signals';
import { WEBHOOK_HOST_RESOLVER } from './webhooks-out.module';

const WEBHOOK_POLL_INTERVAL_MS = Symbol('WEBHOOK_POLL_INTERVAL_MS');

/** Polls due webhook deliveries; each endpoint's turn runs on its own, so the loop never waits on a receiver. */
@Injectable()
export class WebhookDeliveryPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhooksOut');
  private readonly loop: PollingLoop;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_POLL_INTERVAL_MS) intervalMs: number,
    @Inject(WORK_SIGNALS) signals: WorkSignals,
  ) {
    this.loop = new PollingLoop(async () => (await dispatcher.dispatchDue()) > 0, {
      intervalMs,
      onError: (error) =>
        this.logger.error(
          `Polling webhook deliveries failed (${error instanceof Error ? error.name : 'error'}); trying again`,
        ),
    });
    dispatcher.onTurnEnded(() => this.loop.poke());
    signals.on(WORK_KINDS.webhookDeliveries, () => this.loop.poke());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.dispatcher.drain();
  }
}

/**
 * The worker's part of webhooks out: the process manager that queues events and deliveries (the worker
 * module lists it with the other projections), the dispatcher and its poller. Needs WebhooksOutModule, and
 * the worker's WorkSignals (its poller is woken by the process manager's commits).
 */
@Module({})
export class WebhooksOutWorkerModule {
  static forRoot(pollIntervalMs: number, signals: WorkSignals): DynamicModule {
    return {
      module: WebhooksOutWorkerModule,
      providers: [
        { provide: WEBHOOK_POLL_INTERVAL_MS, useValue: pollIntervalMs },
        { provide: WORK_SIGNALS, useValue: signals },
        WebhooksOutProcessManager,
        {
          provide: WEBHOOK_SENDER,
          useFactory: (settings: WebhookDeliverySettings, resolve: WebhookHostResolver) =>
            new GuardedHttpWebhookSender(settings.allowPrivateNetworks, resolve),
          inject: [WEBHOOK_DELIVERY_SETTINGS, WEBHOOK_HOST_RESOLVER],
        },
        { provide: WEBHOOK_DELIVERY_OUTCOMES, useExisting: WebhookMetrics },
        WebhookDispatcher,
        WebhookDeliveryPoller,
      ],
      exports: [WebhooksOutProcessManager],
    };
  }
}
