import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { generateWebhookSecret } from '@lib/platform/webhooks/webhook-key-generation';
import type { WebhookAudience } from '../../../domain/webhook-endpoint/webhook-endpoint.events';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { READ_MODEL_WAIT_MS } from '../../queries/freshness/fresh';
import { WrittenCheckpoints } from '../../queries/freshness/written-checkpoints';
import { newWebhookEndpointId } from '../webhook-endpoint-streams';
import { WebhookEndpoints } from '../webhook-endpoints';
import { WEBHOOK_READS, type WebhookEndpointRecord, type WebhookReads } from '../webhook-outbox.port';
import { WEBHOOK_SECRET_SEALER, type WebhookSecretSealer } from '../webhook-secret-sealer.port';
import { WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from '../webhook-url-policy.port';
import { WebhooksOutRefused } from '../webhooks-out-refused.error';
import {
  DeleteWebhookEndpointCommand,
  RegisterWebhookEndpointCommand,
  ReplayWebhookEventsCommand,
  RotateWebhookEndpointSecretCommand,
} from './webhook-endpoint.commands';

/** How long the previous secret keeps signing after a rotation (API.md: 24 h). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000;

const scopeOf = (owner: WebhookAudience) =>
  owner.kind === 'payment_app' ? { paymentAppId: owner.id } : { bankCode: owner.id };

@CommandHandler(RegisterWebhookEndpointCommand)
export class RegisterWebhookEndpointHandler implements ICommandHandler<RegisterWebhookEndpointCommand> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    @Inject(WEBHOOK_URL_POLICY) private readonly urls: WebhookUrlPolicy,
    @Inject(WEBHOOK_SECRET_SEALER) private readonly sealer: WebhookSecretSealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ owner, url, eventTypes, description, metadata }: RegisterWebhookEndpointCommand) {
    const refusal = await this.urls.refusalOf(url);
    if (refusal !== undefined) throw new WebhooksOutRefused('webhook_url_not_allowed', refusal);
    const endpointId = newWebhookEndpointId();
    const secret = generateWebhookSecret();
    const sealedSecret = await this.sealer.seal(endpointId, secret);
    const now = this.clock.now().toISOString();
    await this.endpoints.decide(
      endpointId,
      {
        type: 'RegisterWebhookEndpoint',
        data: { endpointId, owner, url, eventTypes, description, sealedSecret, now },
      },
      metadata,
    );
    const record: WebhookEndpointRecord = {
      endpointId,
      owner,
      url,
      eventTypes,
      description,
      status: 'enabled',
      createdAt: now,
      disabledAt: null,
    };
    return { ...record, secret };
  }
}

@CommandHandler(RotateWebhookEndpointSecretCommand)
export class RotateWebhookEndpointSecretHandler implements ICommandHandler<RotateWebhookEndpointSecretCommand> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    @Inject(WEBHOOK_SECRET_SEALER) private readonly sealer: WebhookSecretSealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ owner, endpointId, metadata }: RotateWebhookEndpointSecretCommand) {
    const secret = generateWebhookSecret();
    const sealedSecret = await this.sealer.seal(endpointId, secret);
    const now = this.clock.now();
    await this.endpoints.decide(
      endpointId,
      {
        type: 'RotateWebhookEndpointSecret',
        data: {
          caller: owner,
          sealedSecret,
          overlapUntil: new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS).toISOString(),
          now: now.toISOString(),
        },
      },
      metadata,
    );
    return { secret };
  }
}

@CommandHandler(DeleteWebhookEndpointCommand)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpointCommand> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ owner, endpointId, metadata }: DeleteWebhookEndpointCommand): Promise<void> {
    await this.endpoints.decide(
      endpointId,
      { type: 'DeleteWebhookEndpoint', data: { caller: owner, now: this.clock.now().toISOString() } },
      metadata,
    );
  }
}

@CommandHandler(ReplayWebhookEventsCommand)
export class ReplayWebhookEventsHandler implements ICommandHandler<ReplayWebhookEventsCommand> {
  constructor(
    @Inject(WEBHOOK_READS) private readonly reads: WebhookReads,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async execute({ owner, endpointId, since, until }: ReplayWebhookEventsCommand) {
    await this.reads.settle(this.writes.requiredBy(scopeOf(owner)), READ_MODEL_WAIT_MS);
    const endpoint = await this.reads.findEndpoint(owner, endpointId);
    if (!endpoint) throw new WebhooksOutRefused('webhook_endpoint_not_found', 'No such webhook endpoint');
    const replayId = `rpl_${randomUUID()}`;
    const deliveries = await this.reads.replay({
      endpointId,
      replayId,
      since,
      ...(until ? { until } : {}),
      at: this.clock.now(),
    });
    return { replayId, deliveries };
  }
}
