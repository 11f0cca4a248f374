import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { WebhookKeyKind } from '../../../domain/bank/bank.events';
import type { WebhookKeyView } from '../../bank-registration-view';

/** A webhook key as an operator gives it: the material in the clear, only until the handler seals it. */
export interface NewWebhookKey {
  keyId: string;
  kind: WebhookKeyKind;
  /** The `whsec_…` secret (hmac; generated when absent) or the bank's public key (ed25519, required). */
  material?: string;
  /** ISO 8601 timestamps. */
  notBefore?: string;
  notAfter?: string;
}

export interface AddedWebhookKey {
  key: WebhookKeyView;
  /** The generated `whsec_…` secret, for the one answer that shows it. */
  secret?: string;
}

/** An operator adds a key to a bank under a new id: the first half of a rotation. */
export class AddBankWebhookKeyCommand extends Command<AddedWebhookKey> {
  constructor(
    readonly bankCode: string,
    readonly key: NewWebhookKey,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
