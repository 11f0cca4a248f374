import type { DomainCommand, DomainEvent } from '../message';
import type { Instant } from '../time';
import type { DebitLimits } from './link-usage';

/** Who changed the limits in force: the app lowering them, the bank setting them, the customer confirming a raise. */
export type LimitsChangedBy = 'payment_app' | 'bank' | 'customer';

/** A change asked for: a field left out keeps its value; `null` removes that limit (R10). */
export type DebitLimitsChange = Partial<DebitLimits>;

/**
 * The limits in force changed (R10). Any such change settles a raise that was pending: the customer's
 * confirmation applies it, the app's new request replaces it, the bank's own setting overrides it.
 */
export type LinkLimitsChanged = DomainEvent<
  'LinkLimitsChanged',
  { linkId: string; at: Instant; by: LimitsChangedBy; limits: DebitLimits; previous: DebitLimits }
>;

/** The app asked for a raise: `pending` (the whole target) waits for the customer's confirmation at the bank. */
export type LinkLimitRaiseRequested = DomainEvent<
  'LinkLimitRaiseRequested',
  { linkId: string; at: Instant; pending: DebitLimits }
>;

/** A pending raise ended unconfirmed: a later request of the app or a setting of the bank kept the limits as they are. */
export type LinkLimitRaiseWithdrawn = DomainEvent<
  'LinkLimitRaiseWithdrawn',
  { linkId: string; at: Instant; by: 'payment_app' | 'bank'; withdrawn: DebitLimits }
>;

export type LinkLimitsEvent = LinkLimitsChanged | LinkLimitRaiseRequested | LinkLimitRaiseWithdrawn;

/** The app, on the customer's behalf (`PUT /v1/links/{id}/limits`): lowering applies at once, raising waits. */
export type RequestLimitsChange = DomainCommand<'RequestLimitsChange', { now: Instant; change: DebitLimitsChange }>;

/** The bank's `limits.confirmed`: the customer confirmed the pending raise at the bank. */
export type ConfirmLimitRaise = DomainCommand<'ConfirmLimitRaise', { now: Instant }>;

/** The bank's `limits.updated`: the bank sets limits itself, effective at once, up or down. */
export type SetLimitsByBank = DomainCommand<'SetLimitsByBank', { now: Instant; change: DebitLimitsChange }>;

export type LinkLimitsCommand = RequestLimitsChange | ConfirmLimitRaise | SetLimitsByBank;
