import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { aggregateStream, type HandledCommand, handleCommand } from '@lib/event-store/command-handling/handle-command';
import type { WebhookEndpointCommand } from '../../domain/webhook-endpoint/webhook-endpoint.commands';
import { webhookEndpointDecider } from '../../domain/webhook-endpoint/webhook-endpoint.decider';
import type { WebhookEndpointEvent } from '../../domain/webhook-endpoint/webhook-endpoint.events';
import type { WebhookEndpointState } from '../../domain/webhook-endpoint/webhook-endpoint.state';
import { WrittenCheckpoints } from '../queries/freshness/written-checkpoints';
import { webhookEndpointStream } from './webhook-endpoint-streams';

/** Decides a command on one endpoint's stream and remembers the write, so the caller's next read sees it. */
@Injectable()
export class WebhookEndpoints {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async decide(
    endpointId: string,
    command: WebhookEndpointCommand,
    metadata: EventMetadata,
  ): Promise<HandledCommand<WebhookEndpointState, WebhookEndpointEvent>> {
    const handled = await handleCommand(
      this.store,
      webhookEndpointStream(endpointId),
      webhookEndpointDecider,
      command,
      metadata,
    );
    const { state } = handled;
    if (handled.append && state.status !== 'none') {
      this.writes.record(
        handled.append.checkpoint,
        state.owner.kind === 'payment_app' ? { paymentAppId: state.owner.id } : { bankCode: state.owner.id },
      );
    }
    return handled;
  }

  async stateOf(endpointId: string): Promise<WebhookEndpointState> {
    return (await aggregateStream(this.store, webhookEndpointStream(endpointId), webhookEndpointDecider)).state;
  }
}
