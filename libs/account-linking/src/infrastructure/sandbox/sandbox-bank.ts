import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';

/** Sandbox Bank: the bank the sandbox simulates, and whose customers are told in the sandbox outbox. */
export const SANDBOX_BANK_CODE = '9900';
export const SANDBOX_BANK_KEY_ID = 'sandbox-hmac-1';

/** API.md: the service notifies the customer and there is no cooling-off, so a walk-through reaches active at once. */
export const SANDBOX_BANK_POLICY: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};
