import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { generateWebhookSecret } from '@lib/platform/webhooks/webhook-key-generation';
import { bankDecider, requireRegisteredBank } from '../../../domain/bank/bank.decider';
import { recordedWebhookKey } from './recorded-webhook-key';
import { toWebhookKeyView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { BANK_REGISTRY, type BankRegistry } from '../../ports/bank-registry.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { WEBHOOK_KEY_SEALER, type WebhookKeySealer } from '../../ports/webhook-key-sealer.port';
import { AddBankWebhookKeyCommand, type AddedWebhookKey } from './add-bank-webhook-key.command';

/**
 * Keys live in the bank's stream, their material sealed, so that the one append that adds a key is also what
 * the next webhook is verified against: no key store to keep in step, no window where the two disagree.
 */
@CommandHandler(AddBankWebhookKeyCommand)
export class AddBankWebhookKeyHandler implements ICommandHandler<AddBankWebhookKeyCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_REGISTRY) private readonly banks: BankRegistry,
    @Inject(WEBHOOK_KEY_SEALER) private readonly sealer: WebhookKeySealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, key, metadata }: AddBankWebhookKeyCommand): Promise<AddedWebhookKey> {
    // Before sealing anything: no data key is made for a bank that does not exist. The decider checks again.
    requireRegisteredBank(await this.banks.current(bankCode), bankCode);
    const generated = key.kind === 'hmac' && key.material === undefined ? generateWebhookSecret() : undefined;
    const material = key.material ?? generated;
    if (material === undefined) throw new TypeError('An ed25519 webhook key needs the bank’s public key');
    const sealed = await this.sealer.seal(bankCode, material);
    const now = this.clock.now().toISOString();
    const { state } = await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      {
        type: 'AddBankWebhookKey',
        data: {
          bankCode,
          key: recordedWebhookKey(key, sealed),
          secretGenerated: generated !== undefined,
          now,
        },
      },
      metadata,
    );
    const added = requireRegisteredBank(state, bankCode).webhookKeys.find((each) => each.keyId === key.keyId);
    if (!added) throw new Error(`webhook key ${key.keyId} missing after it was added`);
    return { key: toWebhookKeyView(added), ...(generated === undefined ? {} : { secret: generated }) };
  }
}
