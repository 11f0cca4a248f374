import type { Checkpoint } from '@lib/event-store/event-store.port';
import type {
  AccountLinkingFailureReason,
  GuardRefusalReason,
  LinkAttemptOutcome,
} from '../../domain/bank-account-guard/bank-account-guard.events';
import type { ExistingLinkState } from '../../domain/link/link-state';
import type { Instant } from '../../domain/time';

export const ACCOUNT_HISTORY = Symbol('ACCOUNT_HISTORY');

/** One attempt to link the account: a link that was created, or a request the account's guard refused first. */
export interface LinkAttemptEntry {
  kind: 'link_attempt';
  linkId: string;
  paymentAppId: string;
  attemptedAt: Instant;
  /** The link as its events left it; absent when the request was refused before any link existed. */
  link?: ExistingLinkState;
  /** The guard's refusal, recorded before the link (if any) started. */
  refusal?: { reason: GuardRefusalReason; at: Instant; lockedUntil?: Instant; closedAt?: Instant; openLinkId?: string };
  /** The link's failure, as counted towards the account's lockout. */
  failure?: { reason: AccountLinkingFailureReason; at: Instant };
  /** When the guard saw the attempt end. */
  finished?: { outcome: LinkAttemptOutcome; at: Instant };
}

export interface AccountLockedEntry {
  kind: 'account_locked';
  at: Instant;
  lockedUntil: Instant;
}

/** The bank reported the account closed (`account.closed`): it takes no new link from then on. */
export interface AccountClosedEntry {
  kind: 'account_closed';
  at: Instant;
}

export type AccountHistoryEntry = LinkAttemptEntry | AccountLockedEntry | AccountClosedEntry;

/** Everything that ever happened on one bank account, by its token: links, refused attempts, lockouts, closure. */
export interface AccountHistory {
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
  /** Oldest first. */
  entriesFor(accountToken: string): Promise<AccountHistoryEntry[]>;
}
