import { Counter, Gauge, type Registry } from 'prom-client';
import type {
  WebhookDeliveryOutcome,
  WebhookDeliveryOutcomes,
} from '../../application/webhooks-out/webhook-delivery-outcomes.port';
import type { WebhookOutbox } from '../../application/webhooks-out/webhook-outbox.port';
import type { Clock } from '../../application/ports/clock.port';

/**
 * `kouza_link_webhook_deliveries_total{outcome}` (settled: succeeded, failed; and retried attempts),
 * `kouza_link_webhook_attempts_total{result}` (ok, http_500, timeout, address_not_allowed…) and
 * `kouza_link_webhook_oldest_pending_delivery_age_seconds{endpoint}`, read from the outbox at each scrape.
 */
export class WebhookMetrics implements WebhookDeliveryOutcomes {
  private readonly deliveries: Counter<'outcome'>;
  private readonly attempts: Counter<'result'>;

  constructor(registry: Registry, outbox: WebhookOutbox, clock: Clock) {
    this.deliveries = new Counter({
      name: 'kouza_link_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retried (failed, another to come), failed (the last)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'kouza_link_webhook_attempts_total',
      help: 'Webhook delivery attempts by result (ok, http_<status>, timeout, network_error, address_not_allowed…)',
      labelNames: ['result'],
      registers: [registry],
    });
    new Gauge({
      name: 'kouza_link_webhook_oldest_pending_delivery_age_seconds',
      help: 'Age of the oldest delivery still pending, per endpoint',
      labelNames: ['endpoint'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = clock.now();
        for (const { endpointId, oldestDueAt } of await outbox.pendingAges(now).catch(() => [])) {
          this.set({ endpoint: endpointId }, Math.max(0, (now.getTime() - oldestDueAt.getTime()) / 1000));
        }
      },
    });
  }

  recordAttempt(outcome: WebhookDeliveryOutcome, detail: string): void {
    this.deliveries.inc({ outcome });
    this.attempts.inc({ result: detail });
  }
}
