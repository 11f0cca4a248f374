import { createHash } from 'node:crypto';
import type { WebhookAudience } from '../../domain/webhook-endpoint/webhook-endpoint.events';

/** The audience as one key: `payment_app:<client id>` or `bank:<bank code>`. */
export const audienceKey = (audience: WebhookAudience): string => `${audience.kind}:${audience.id}`;

/**
 * The id of the event an audience is told of a domain event: derived from the domain event's own id, so a
 * replay, a rebuild or a second worker always names it the same (receivers de-duplicate by it).
 */
export const webhookEventId = (domainEventId: string, audience: WebhookAudience): string =>
  `evt_${createHash('sha256')
    .update(`${domainEventId}\u0000${audienceKey(audience)}`)
    .digest('base64url')
    .slice(0, 27)}`;

export const WEBHOOK_EVENT_ID_PATTERN = /^evt_[A-Za-z0-9_-]{27}$/;
