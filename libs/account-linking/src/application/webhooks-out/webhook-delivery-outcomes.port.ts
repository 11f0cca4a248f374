export const WEBHOOK_DELIVERY_OUTCOMES = Symbol('WEBHOOK_DELIVERY_OUTCOMES');

/** `succeeded` and `failed` settle a delivery; `retried` is a failed attempt with another to come. */
export type WebhookDeliveryOutcome = 'succeeded' | 'retried' | 'failed';

/** Where the dispatcher reports each attempt (the metrics). */
export interface WebhookDeliveryOutcomes {
  recordAttempt(outcome: WebhookDeliveryOutcome, detail: string): void;
}
