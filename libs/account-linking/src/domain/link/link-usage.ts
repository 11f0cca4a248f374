import type { Instant } from '../time';

/** Yen limits on what an app may pull through a link (R10); null: no limit. */
export interface DebitLimits {
  perDebit: number | null;
  daily: number | null;
  monthly: number | null;
}

export const NO_DEBIT_LIMITS: DebitLimits = { perDebit: null, daily: null, monthly: null };

/** A bank's tighter limits for a new link's first days (API.md `initialLimits`), as its policy sets them. */
export interface InitialDebitLimitsPolicy {
  perDebit: number | null;
  daily: number | null;
  days: number;
}

/** The tighter limits of a link's first days, as recorded when it activated. */
export interface InitialDebitLimits {
  perDebit: number | null;
  daily: number | null;
  until: Instant;
}

/** What governs the use of an active (or suspended) link: its bound device (R9) and its limits (R10). */
export interface LinkUsageTerms {
  /** R9: the device debits may come from; the requesting device until a re-binding. */
  boundDeviceId: string;
  /** The customer's limits in force. */
  limits: DebitLimits;
  /** A raise the app asked for, waiting for the customer's confirmation at the bank. */
  pendingLimits?: DebitLimits;
  initialLimits?: InitialDebitLimits;
  /** A re-binding the app asked for, waiting for the bank to re-authenticate the customer. */
  rebinding?: { deviceId: string; requestedAt: Instant };
}

/** The largest yen amount (a limit or a debit) the service accepts: a trillion yen, far past any debit. */
export const MAX_YEN_AMOUNT = 1_000_000_000_000;

/** The longest initial period a bank policy may set. */
export const MAX_INITIAL_LIMIT_DAYS = 366;
