import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { WebhookKeyView } from '../../bank-registration-view';
import type { NewWebhookKey } from '../add-bank-webhook-key/add-bank-webhook-key.command';

/**
 * Configuration says a bank's key is exactly so (the sandbox bank's, at every start): added when missing,
 * replaced when its material or validity differ, nothing recorded when it is already so.
 */
export class ProvisionBankWebhookKeyCommand extends Command<WebhookKeyView> {
  constructor(
    readonly bankCode: string,
    readonly key: NewWebhookKey & { material: string },
    /** The material was generated for this start, not given. */
    readonly secretGenerated: boolean,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
