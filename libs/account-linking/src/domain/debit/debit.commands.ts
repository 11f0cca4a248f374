import type { DomainCommand } from '../message';
import type { Instant } from '../time';
import type { DebitFacts, DebitRefusal } from './debit.events';

/** The debit's own record of an authorisation its link's spending stream made. */
export type RecordDebitAuthorised = DomainCommand<
  'RecordDebitAuthorised',
  { debit: DebitFacts; authorisedAt: Instant; expiresAt: Instant }
>;
export type RecordDebitRefused = DomainCommand<
  'RecordDebitRefused',
  { debit: DebitFacts; refusal: DebitRefusal; now: Instant }
>;
/** The bank executed the debit (`debit.settled`). */
export type SettleDebit = DomainCommand<'SettleDebit', { now: Instant; settledAt: Instant }>;
/** The bank could not execute it (`debit.failed`). */
export type FailDebit = DomainCommand<'FailDebit', { now: Instant; reason: string }>;
/** Sent by the authorisation's timer. */
export type ExpireDebit = DomainCommand<'ExpireDebit', { now: Instant }>;

export type DebitCommand = RecordDebitAuthorised | RecordDebitRefused | SettleDebit | FailDebit | ExpireDebit;
