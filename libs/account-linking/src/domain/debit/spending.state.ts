import type { Instant } from '../time';

/** One authorisation as the totals count it. */
export interface Reservation {
  amount: number;
  at: Instant;
  expiresAt: Instant;
  day: string;
  month: string;
  released: boolean;
}

/** A link's running totals (`spending-{linkId}`): what its authorisations count towards each day and month. */
export interface SpendingState {
  reservations: Readonly<Record<string, Reservation>>;
  /** Yen authorised and still counting, by Japan-time day `YYYY-MM-DD`. */
  daily: Readonly<Record<string, number>>;
  /** By Japan-time month `YYYY-MM`. */
  monthly: Readonly<Record<string, number>>;
  /** The last authorisation: the link's last use, for dormancy (R13). */
  lastAuthorisedAt?: Instant;
}

export const initialSpendingState = (): SpendingState => ({ reservations: {}, daily: {}, monthly: {} });
