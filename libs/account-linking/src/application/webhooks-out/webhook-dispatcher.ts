import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { signWebhook } from '@lib/platform/webhooks/sign-webhook';
import { CLOCK, type Clock } from '../ports/clock.port';
import { WEBHOOK_DELIVERY_OUTCOMES, type WebhookDeliveryOutcomes } from './webhook-delivery-outcomes.port';
import { nextAttemptAt, WEBHOOK_DELIVERY_SETTINGS, type WebhookDeliverySettings } from './webhook-delivery-settings';
import { WebhookEndpoints } from './webhook-endpoints';
import { type ClaimedWebhookDelivery, WEBHOOK_OUTBOX, type WebhookOutbox } from './webhook-outbox.port';
import { WEBHOOK_SECRET_SEALER, type WebhookSecretSealer } from './webhook-secret-sealer.port';
import { WEBHOOK_SENDER, type WebhookResponse, type WebhookSender } from './webhook-sender.port';

const isSuccess = (response: WebhookResponse) =>
  response.outcome === 'answered' && response.statusCode >= 200 && response.statusCode < 300;

const detailOf = (response: WebhookResponse): string | null => {
  if (isSuccess(response)) return null;
  return response.outcome === 'answered' ? `http_${response.statusCode}` : response.outcome;
};

/**
 * Carries out the deliveries the process manager queued. Each endpoint is served on its own (one after
 * another within it, at most `concurrentEndpoints` at once), so a slow or dead receiver holds up only its
 * own deliveries. A delivery is claimed with a lease before it is sent and recorded after: a worker that
 * dies in between leaves it to be sent again once the lease ends (at least once, same `webhook-id`).
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('WebhooksOut');
  private readonly serving = new Map<string, Promise<void>>();
  private wake: (() => void) | undefined;

  constructor(
    @Inject(WEBHOOK_OUTBOX) private readonly outbox: WebhookOutbox,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(WEBHOOK_SECRET_SEALER) private readonly sealer: WebhookSecretSealer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_DELIVERY_SETTINGS) private readonly settings: WebhookDeliverySettings,
    @Inject(WEBHOOK_DELIVERY_OUTCOMES) private readonly outcomes: WebhookDeliveryOutcomes,
    private readonly endpoints: WebhookEndpoints,
  ) {}

  /** Called when an endpoint's turn ends with work left, so that the poller looks again at once. */
  onTurnEnded(wake: () => void): void {
    this.wake = wake;
  }

  /** Starts a turn for each endpoint with a delivery due that is not being served; does not wait for them. */
  async dispatchDue(): Promise<number> {
    const free = this.settings.concurrentEndpoints - this.serving.size;
    if (free <= 0) return 0;
    const due = await this.outbox.dueEndpoints(this.clock.now(), free, [...this.serving.keys()]);
    for (const endpointId of due) {
      const turn = this.serve(endpointId)
        .catch((error: unknown) =>
          this.logger.error(`Serving a webhook endpoint failed (${error instanceof Error ? error.name : 'error'})`),
        )
        .finally(() => this.serving.delete(endpointId));
      this.serving.set(endpointId, turn);
    }
    return due.length;
  }

  /** Waits for the turns under way (shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.serving.values());
  }

  private async serve(endpointId: string): Promise<void> {
    for (let served = 0; served < this.settings.deliveriesPerTurn; served++) {
      const now = this.clock.now();
      const claimed = await this.outbox.claimNext(
        endpointId,
        now,
        new Date(now.getTime() + Math.max(this.settings.claimTtlMs, this.settings.timeoutMs * 2)),
      );
      if (!claimed) return;
      await this.deliver(claimed);
    }
    this.wake?.();
  }

  private async deliver(delivery: ClaimedWebhookDelivery): Promise<void> {
    const sentAt = this.clock.now();
    const secrets = await this.secretsValidAt(delivery, sentAt);
    const response: WebhookResponse =
      secrets.length === 0
        ? { outcome: 'network_error', durationMs: 0 }
        : await this.sender.send({
            url: delivery.url,
            body: delivery.body,
            timeoutMs: this.settings.timeoutMs,
            headers: {
              ...signWebhook({
                id: delivery.eventId,
                timestamp: sentAt,
                body: delivery.body,
                key: secrets.map((secret) => ({ kind: 'hmac' as const, secret })),
              }),
              'user-agent': 'kouza-link-webhooks/1',
            },
          });
    const at = this.clock.now();
    const succeeded = isSuccess(response);
    const retryAt = succeeded ? undefined : nextAttemptAt(at, delivery.attempt, this.settings, Math.random());
    const detail = secrets.length === 0 ? 'secret_unavailable' : detailOf(response);
    const { failingSince } = await this.outbox.recordAttempt({
      deliveryId: delivery.deliveryId,
      attempt: delivery.attempt,
      status: succeeded ? 'succeeded' : 'failed',
      responseCode: response.outcome === 'answered' ? response.statusCode : null,
      durationMs: response.durationMs,
      at,
      detail,
      ...(retryAt ? { retryAt } : {}),
    });
    this.outcomes.recordAttempt(succeeded ? 'succeeded' : retryAt ? 'retried' : 'failed', detail ?? 'ok');
    if (!succeeded && failingSince && at.getTime() - failingSince.getTime() >= this.settings.disableAfterMs) {
      await this.disable(delivery.endpointId, failingSince, at);
    }
  }

  /** The current secret and, while a rotation overlaps, the previous one: the receiver may check either. */
  private async secretsValidAt(delivery: ClaimedWebhookDelivery, at: Date): Promise<string[]> {
    const valid = delivery.secrets.filter(
      (secret) => secret.validUntil === null || new Date(secret.validUntil).getTime() > at.getTime(),
    );
    const opened = await Promise.all(valid.map((secret) => this.sealer.open(secret.sealedSecret)));
    return opened.filter((secret): secret is string => secret !== undefined);
  }

  private async disable(endpointId: string, failingSince: Date, at: Date): Promise<void> {
    const id = randomUUID();
    await this.endpoints.decide(
      endpointId,
      { type: 'DisableWebhookEndpoint', data: { failingSince: failingSince.toISOString(), now: at.toISOString() } },
      {
        actor: { type: 'system', id: 'webhooks-out' },
        correlationId: id,
        causationId: id,
        occurredAt: at.toISOString(),
      },
    );
    this.logger.warn(
      `Disabled webhook endpoint ${endpointId}: every delivery failed since ${failingSince.toISOString()}`,
    );
  }
}
