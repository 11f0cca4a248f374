import type { WebhookKeyKind } from '../domain/bank/bank.events';
import type { BankWebhookKey, RegisteredBank } from '../domain/bank/bank.state';
import type { BankLinkPolicy } from '../domain/link/bank-link-policy';

/** One of a bank's webhook keys as operators see it: id, kind and validity, never its material. */
export interface WebhookKeyView {
  keyId: string;
  kind: WebhookKeyKind;
  notBefore: string | null;
  notAfter: string | null;
  createdAt: string;
}

/** A bank as operators see it: policy, kill switch and keys (oldest first). */
export interface BankRegistrationView {
  bankCode: string;
  name: string;
  policy: BankLinkPolicy;
  suspension: { suspended: true; reason?: string; since: string } | { suspended: false };
  webhookKeys: WebhookKeyView[];
  createdAt: string;
}

/** The answer to pulling or lifting a bank's kill switch. */
export interface BankSuspensionView {
  bankCode: string;
  suspended: boolean;
  reason?: string;
  /** When the switch was pulled or lifted. */
  at: string;
}

export const toWebhookKeyView = (key: BankWebhookKey): WebhookKeyView => ({
  keyId: key.keyId,
  kind: key.kind,
  notBefore: key.notBefore,
  notAfter: key.notAfter,
  createdAt: key.createdAt,
});

export const toBankRegistrationView = (bank: RegisteredBank): BankRegistrationView => ({
  bankCode: bank.bankCode,
  name: bank.name,
  policy: bank.policy,
  suspension: bank.suspension
    ? {
        suspended: true,
        ...(bank.suspension.reason ? { reason: bank.suspension.reason } : {}),
        since: bank.suspension.since,
      }
    : { suspended: false },
  webhookKeys: bank.webhookKeys.map(toWebhookKeyView),
  createdAt: bank.registeredAt,
});
