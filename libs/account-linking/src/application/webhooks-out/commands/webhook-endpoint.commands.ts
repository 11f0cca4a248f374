import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { WebhookAudience } from '../../../domain/webhook-endpoint/webhook-endpoint.events';
import type { WebhookEventType } from '../../../domain/webhook-endpoint/webhook-event-types';
import type { WebhookEndpointRecord } from '../webhook-outbox.port';

/** An app or a bank registers where it wants its events; the answer carries the secret, this once. */
export class RegisterWebhookEndpointCommand extends Command<WebhookEndpointRecord & { secret: string }> {
  constructor(
    readonly owner: WebhookAudience,
    readonly url: string,
    readonly eventTypes: WebhookEventType[],
    readonly description: string | null,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

/** A new secret; the old one keeps signing beside it for the overlap. */
export class RotateWebhookEndpointSecretCommand extends Command<{ secret: string }> {
  constructor(
    readonly owner: WebhookAudience,
    readonly endpointId: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

export class DeleteWebhookEndpointCommand extends Command<void> {
  constructor(
    readonly owner: WebhookAudience,
    readonly endpointId: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

/** Sends the endpoint its events of a window again, under the same event ids. */
export class ReplayWebhookEventsCommand extends Command<{ replayId: string; deliveries: number }> {
  constructor(
    readonly owner: WebhookAudience,
    readonly endpointId: string,
    readonly since: Date,
    readonly until: Date | undefined,
  ) {
    super();
  }
}
