import type { Instant } from '../time';
import type { AccountLinkingFailureReason } from './bank-account-guard.events';

/** One bank account's linking record: its open link attempts (per payment app), failures and lock. */
export interface BankAccountGuardState {
  openLinks: readonly { linkId: string; paymentAppId: string }[];
  failures: readonly { linkId: string; reason: AccountLinkingFailureReason; at: Instant }[];
  lockedUntil?: Instant;
}

export const initialBankAccountGuardState = (): BankAccountGuardState => ({ openLinks: [], failures: [] });
