import type { Instant } from '../time';
import type { AccountLinkingFailureReason } from './bank-account-guard.events';

/** One bank account's linking record: its open link attempts (per payment app), failures and lock. */
export interface BankAccountGuardState {
  /** `registeredAt`: when the request claimed the account. */
  openLinks: readonly { linkId: string; paymentAppId: string; registeredAt: Instant }[];
  failures: readonly { linkId: string; reason: AccountLinkingFailureReason; at: Instant }[];
  lockedUntil?: Instant;
  /** The bank reported the account closed: it takes no new link. */
  closedAt?: Instant;
}

export const initialBankAccountGuardState = (): BankAccountGuardState => ({ openLinks: [], failures: [] });
