import type { WebhookVerificationKey } from '@lib/platform/webhooks/webhook-key';
import type { BankProfile } from './bank-directory.port';

export const BANK_WEBHOOK_KEYS = Symbol('BANK_WEBHOOK_KEYS');

/** The keys a bank's webhooks are verified with, opened; a key added a moment ago is among them. */
export interface BankWebhookKeys {
  /** Undefined when no bank has this code. */
  verificationKeys(bankCode: string): Promise<WebhookVerificationKey[] | undefined>;
  /** The keys and the bank they were read with (one read): the webhook is handled on that bank. */
  webhookSender(bankCode: string): Promise<{ bank: BankProfile; keys: WebhookVerificationKey[] } | undefined>;
}
