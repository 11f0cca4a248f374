import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider, requireRegisteredBank } from '../../../domain/bank/bank.decider';
import { recordedWebhookKey } from '../add-bank-webhook-key/recorded-webhook-key';
import { type WebhookKeyView, toWebhookKeyView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { BANK_REGISTRY, type BankRegistry } from '../../ports/bank-registry.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { WEBHOOK_KEY_SEALER, type WebhookKeySealer } from '../../ports/webhook-key-sealer.port';
import { ProvisionBankWebhookKeyCommand } from './provision-bank-webhook-key.command';

@CommandHandler(ProvisionBankWebhookKeyCommand)
export class ProvisionBankWebhookKeyHandler implements ICommandHandler<ProvisionBankWebhookKeyCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_REGISTRY) private readonly banks: BankRegistry,
    @Inject(WEBHOOK_KEY_SEALER) private readonly sealer: WebhookKeySealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, key, secretGenerated, metadata }: ProvisionBankWebhookKeyCommand): Promise<WebhookKeyView> {
    requireRegisteredBank(await this.banks.current(bankCode), bankCode);
    // Sealed anew each time; the fingerprint is what tells the decider the material is the same as before.
    const sealed = await this.sealer.seal(bankCode, key.material);
    const now = this.clock.now().toISOString();
    const { state } = await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      {
        type: 'ProvisionBankWebhookKey',
        data: {
          bankCode,
          key: recordedWebhookKey(key, sealed),
          secretGenerated,
          now,
        },
      },
      metadata,
    );
    const provisioned = requireRegisteredBank(state, bankCode).webhookKeys.find((each) => each.keyId === key.keyId);
    if (!provisioned) throw new Error(`webhook key ${key.keyId} missing after it was provisioned`);
    return toWebhookKeyView(provisioned);
  }
}
