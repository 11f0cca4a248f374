import type { BankLinkPolicy } from '../link/bank-link-policy';
import type { Instant } from '../time';
import type { SealedWebhookKey } from './bank.events';

export interface BankWebhookKey extends SealedWebhookKey {
  createdAt: Instant;
}

/** The kill switch (R7) while it is on. */
export interface BankSuspension {
  reason: string | null;
  since: Instant;
}

/** A bank taking part: its name, linking policy, kill switch and webhook keys (oldest first). */
export interface RegisteredBank {
  status: 'registered';
  bankCode: string;
  name: string;
  policy: BankLinkPolicy;
  registeredAt: Instant;
  suspension: BankSuspension | null;
  webhookKeys: readonly BankWebhookKey[];
}

export type BankState = { status: 'none' } | RegisteredBank;

export const initialBankState = (): BankState => ({ status: 'none' });
