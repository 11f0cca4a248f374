import { Query } from '@nestjs/cqrs';
import type { WebhookAudience } from '../../../domain/webhook-endpoint/webhook-endpoint.events';
import type { WebhookEventType } from '../../../domain/webhook-endpoint/webhook-event-types';
import type {
  CursorPage,
  WebhookDeliveryAttemptRecord,
  WebhookEndpointRecord,
  WebhookEventRecord,
} from '../webhook-outbox.port';

export class ListWebhookEndpointsQuery extends Query<WebhookEndpointRecord[]> {
  constructor(readonly owner: WebhookAudience) {
    super();
  }
}

/** Throws `WebhooksOutRefused('webhook_endpoint_not_found')` for an unknown or another's endpoint. */
export class GetWebhookEndpointQuery extends Query<WebhookEndpointRecord> {
  constructor(
    readonly owner: WebhookAudience,
    readonly endpointId: string,
  ) {
    super();
  }
}

export class WebhookDeliveryLogQuery extends Query<CursorPage<WebhookDeliveryAttemptRecord>> {
  constructor(
    readonly owner: WebhookAudience,
    readonly endpointId: string,
    readonly cursor: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

export class ListWebhookEventsQuery extends Query<CursorPage<WebhookEventRecord>> {
  constructor(
    readonly audience: WebhookAudience,
    readonly after: string | undefined,
    readonly types: WebhookEventType[],
    readonly limit: number,
  ) {
    super();
  }
}
