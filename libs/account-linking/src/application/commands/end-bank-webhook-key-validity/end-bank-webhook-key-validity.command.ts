import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { WebhookKeyView } from '../../bank-registration-view';

/** An operator sets when a key stops verifying: the second half of a rotation. */
export class EndBankWebhookKeyValidityCommand extends Command<WebhookKeyView> {
  constructor(
    readonly bankCode: string,
    readonly keyId: string,
    /** ISO 8601; signatures made with the key are refused from this instant (exclusive). */
    readonly notAfter: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
