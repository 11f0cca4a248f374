import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { WebhookAudience } from '../../../domain/webhook-endpoint/webhook-endpoint.events';
import { READ_MODEL_WAIT_MS } from '../../queries/freshness/fresh';
import { WrittenCheckpoints } from '../../queries/freshness/written-checkpoints';
import { WEBHOOK_READS, type WebhookReads } from '../webhook-outbox.port';
import { WebhooksOutRefused } from '../webhooks-out-refused.error';
import {
  GetWebhookEndpointQuery,
  ListWebhookEndpointsQuery,
  ListWebhookEventsQuery,
  WebhookDeliveryLogQuery,
} from './webhooks-out.queries';

/** Every read waits (5 s at most) for the process manager to reach the caller's own writes made here. */
abstract class SettledReads {
  constructor(
    protected readonly reads: WebhookReads,
    private readonly writes: WrittenCheckpoints,
  ) {}

  protected async settled(owner: WebhookAudience): Promise<void> {
    const scope = owner.kind === 'payment_app' ? { paymentAppId: owner.id } : { bankCode: owner.id };
    await this.reads.settle(this.writes.requiredBy(scope), READ_MODEL_WAIT_MS);
  }

  protected async ownEndpoint(owner: WebhookAudience, endpointId: string) {
    await this.settled(owner);
    const endpoint = await this.reads.findEndpoint(owner, endpointId);
    if (!endpoint) throw new WebhooksOutRefused('webhook_endpoint_not_found', 'No such webhook endpoint');
    return endpoint;
  }
}

@QueryHandler(ListWebhookEndpointsQuery)
export class ListWebhookEndpointsHandler extends SettledReads implements IQueryHandler<ListWebhookEndpointsQuery> {
  constructor(@Inject(WEBHOOK_READS) reads: WebhookReads, writes: WrittenCheckpoints) {
    super(reads, writes);
  }

  async execute({ owner }: ListWebhookEndpointsQuery) {
    await this.settled(owner);
    return this.reads.listEndpoints(owner);
  }
}

@QueryHandler(GetWebhookEndpointQuery)
export class GetWebhookEndpointHandler extends SettledReads implements IQueryHandler<GetWebhookEndpointQuery> {
  constructor(@Inject(WEBHOOK_READS) reads: WebhookReads, writes: WrittenCheckpoints) {
    super(reads, writes);
  }

  execute({ owner, endpointId }: GetWebhookEndpointQuery) {
    return this.ownEndpoint(owner, endpointId);
  }
}

@QueryHandler(WebhookDeliveryLogQuery)
export class WebhookDeliveryLogHandler extends SettledReads implements IQueryHandler<WebhookDeliveryLogQuery> {
  constructor(@Inject(WEBHOOK_READS) reads: WebhookReads, writes: WrittenCheckpoints) {
    super(reads, writes);
  }

  async execute({ owner, endpointId, cursor, limit }: WebhookDeliveryLogQuery) {
    await this.ownEndpoint(owner, endpointId);
    return this.reads.deliveryLog(endpointId, cursor, limit);
  }
}

@QueryHandler(ListWebhookEventsQuery)
export class ListWebhookEventsHandler extends SettledReads implements IQueryHandler<ListWebhookEventsQuery> {
  constructor(@Inject(WEBHOOK_READS) reads: WebhookReads, writes: WrittenCheckpoints) {
    super(reads, writes);
  }

  async execute({ audience, after, types, limit }: ListWebhookEventsQuery) {
    await this.settled(audience);
    return this.reads.events(audience, after, types, limit);
  }
}
