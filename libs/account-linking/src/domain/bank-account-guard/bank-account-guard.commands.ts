import type { DomainCommand } from '../message';
import type { AccountLockoutSettings } from '../policies/account-lockout.policy';
import type { Instant } from '../time';
import type { AccountLinkingFailureReason, LinkAttemptOutcome } from './bank-account-guard.events';

/** Sent before a link stream is started: the account must be free for this app and not locked. */
export type RegisterLinkAttempt = DomainCommand<
  'RegisterLinkAttempt',
  { linkId: string; paymentAppId: string; now: Instant }
>;

/** Sent when the link reaches a terminal status, so the app may ask again. */
export type FinishLinkAttempt = DomainCommand<
  'FinishLinkAttempt',
  { linkId: string; outcome: LinkAttemptOutcome; now: Instant }
>;

/** Sent on a failed bank authentication or a KYC mismatch; enough of them lock the account (R8). */
export type RecordAccountLinkingFailure = DomainCommand<
  'RecordAccountLinkingFailure',
  { linkId: string; reason: AccountLinkingFailureReason; now: Instant; lockout?: AccountLockoutSettings }
>;

/** The bank reports that it closed the account (`account.closed`): the `account_closed` fraud rule reacts. */
export type RecordBankAccountClosed = DomainCommand<'RecordBankAccountClosed', { now: Instant }>;

export type BankAccountGuardCommand =
  | RegisterLinkAttempt
  | FinishLinkAttempt
  | RecordAccountLinkingFailure
  | RecordBankAccountClosed;
