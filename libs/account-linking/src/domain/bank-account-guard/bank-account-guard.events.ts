import type { DomainEvent } from '../message';
import type { Instant } from '../time';

export type GuardRefusalReason = 'account_locked' | 'account_closed' | 'link_already_in_progress';
/** How a link attempt ended: the terminal statuses of a link, or a request that never started its link. */
export type LinkAttemptOutcome = 'rejected' | 'expired' | 'revoked' | 'abandoned';
export type AccountLinkingFailureReason = 'bank_authentication_failed' | 'kyc_mismatch';

export type LinkAttemptRegistered = DomainEvent<
  'LinkAttemptRegistered',
  { linkId: string; paymentAppId: string; at: Instant }
>;

export type LinkRequestRefused = DomainEvent<
  'LinkRequestRefused',
  {
    linkId: string;
    paymentAppId: string;
    reason: GuardRefusalReason;
    at: Instant;
    /** With `account_closed`: when the bank reported it. */
    closedAt?: Instant;
    /** With `account_locked`. */
    lockedUntil?: Instant;
    /** With `link_already_in_progress`: the link that is still open. */
    openLinkId?: string;
  }
>;

export type LinkAttemptFinished = DomainEvent<
  'LinkAttemptFinished',
  { linkId: string; outcome: LinkAttemptOutcome; at: Instant }
>;

export type AccountLinkingFailureRecorded = DomainEvent<
  'AccountLinkingFailureRecorded',
  { linkId: string; reason: AccountLinkingFailureReason; at: Instant }
>;

export type AccountLocked = DomainEvent<'AccountLocked', { until: Instant; at: Instant }>;

/** What the account's bank reported; the account is named by the guard stream's token, never by its number. */
export type BankAccountClosed = DomainEvent<'BankAccountClosed', { at: Instant }>;

export type BankAccountGuardEvent =
  | LinkAttemptRegistered
  | LinkRequestRefused
  | LinkAttemptFinished
  | AccountLinkingFailureRecorded
  | AccountLocked
  | BankAccountClosed;
