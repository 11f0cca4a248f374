import type { DomainEvent } from '../message';
import type { Instant } from '../time';

/** The only currency of 口座振替 through this service. */
export type DebitCurrency = 'JPY';

/** Which of a link's limits (R10) a debit would pass. */
export type DebitLimitKind = 'per_debit' | 'daily' | 'monthly';

/** Why a debit is refused (API.md), each also a problem `code`. */
export type DebitRefusalCode = 'link_not_active' | 'device_not_bound' | 'limit_exceeded' | 'actor_blocked';

/** What a debit is, fixed when the app asks for it. */
export interface DebitFacts {
  debitId: string;
  linkId: string;
  paymentAppId: string;
  /** The bank of the link's account: the one that may look the debit up and report it. */
  bankCode: string;
  /** Integer yen, at least 1. */
  amount: number;
  currency: DebitCurrency;
  /** The app's own reference for the charge. */
  reference: string;
  /** The device the app says asks for it (R9). */
  deviceId: string;
}

/** Why a refused debit was refused: a code, words without personal values, and for a limit which and what is left. */
export interface DebitRefusal {
  code: DebitRefusalCode;
  detail: string;
  limit?: DebitLimitKind;
  /** Yen still allowed under `limit`. */
  remaining?: number;
}

export type DebitAuthorised = DomainEvent<'DebitAuthorised', DebitFacts & { at: Instant; expiresAt: Instant }>;
/** R11: a refusal is evidence too. */
export type DebitRefused = DomainEvent<'DebitRefused', DebitFacts & DebitRefusal & { at: Instant }>;
export type DebitSettled = DomainEvent<
  'DebitSettled',
  { debitId: string; linkId: string; at: Instant; settledAt: Instant }
>;
export type DebitFailed = DomainEvent<'DebitFailed', { debitId: string; linkId: string; at: Instant; reason: string }>;
/** The bank reported nothing within the authorisation's life: it can no longer be executed and stops counting. */
export type DebitExpired = DomainEvent<'DebitExpired', { debitId: string; linkId: string; at: Instant }>;

export type DebitEvent = DebitAuthorised | DebitRefused | DebitSettled | DebitFailed | DebitExpired;
export type DebitEventType = DebitEvent['type'];
