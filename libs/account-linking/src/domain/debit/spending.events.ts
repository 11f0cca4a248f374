import type { DomainEvent } from '../message';
import type { Instant } from '../time';
import type { DebitFacts } from './debit.events';

/**
 * An authorisation, as its link's running totals record it (the decision itself: within every limit in force).
 * It carries the whole debit, so that the debit's own stream can always be written from it.
 */
export type DebitAmountReserved = DomainEvent<
  'DebitAmountReserved',
  DebitFacts & {
    at: Instant;
    expiresAt: Instant;
    /** The Japan-time day and month it counts towards. */
    day: string;
    month: string;
  }
>;

/** An authorisation that expired unused or failed at the bank: it stops counting towards the limits. */
export type DebitAmountReleased = DomainEvent<
  'DebitAmountReleased',
  { linkId: string; debitId: string; at: Instant; reason: 'expired' | 'failed' }
>;

export type SpendingEvent = DebitAmountReserved | DebitAmountReleased;
