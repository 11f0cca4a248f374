import type { WebhookVerificationKey } from '@lib/platform/webhooks/webhook-key';

export const BANK_WEBHOOK_KEYS = Symbol('BANK_WEBHOOK_KEYS');

/** The keys a bank's webhooks are verified with, opened; a key added a moment ago is among them. */
export interface BankWebhookKeys {
  /** Undefined when no bank has this code. */
  verificationKeys(bankCode: string): Promise<WebhookVerificationKey[] | undefined>;
}
