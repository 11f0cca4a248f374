import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider, requireRegisteredBank } from '../../../domain/bank/bank.decider';
import { instantOf } from '../../../domain/time';
import { type WebhookKeyView, toWebhookKeyView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { EndBankWebhookKeyValidityCommand } from './end-bank-webhook-key-validity.command';

@CommandHandler(EndBankWebhookKeyValidityCommand)
export class EndBankWebhookKeyValidityHandler implements ICommandHandler<EndBankWebhookKeyValidityCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, keyId, notAfter, metadata }: EndBankWebhookKeyValidityCommand): Promise<WebhookKeyView> {
    const now = this.clock.now().toISOString();
    const { state } = await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      { type: 'EndBankWebhookKeyValidity', data: { bankCode, keyId, notAfter: instantOf(notAfter), now } },
      metadata,
    );
    const key = requireRegisteredBank(state, bankCode).webhookKeys.find((each) => each.keyId === keyId);
    if (!key) throw new Error(`webhook key ${keyId} missing after its validity changed`);
    return toWebhookKeyView(key);
  }
}
