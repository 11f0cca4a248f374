import type { Instant } from '../time';
import type { DebitFacts, DebitRefusal } from './debit.events';

export type DebitState =
  | { status: 'none' }
  | { status: 'authorised'; debit: DebitFacts; authorisedAt: Instant; expiresAt: Instant }
  | { status: 'refused'; debit: DebitFacts; refusedAt: Instant; refusal: DebitRefusal }
  | { status: 'settled'; debit: DebitFacts; authorisedAt: Instant; expiresAt: Instant; settledAt: Instant }
  | {
      status: 'failed';
      debit: DebitFacts;
      authorisedAt: Instant;
      expiresAt: Instant;
      failedAt: Instant;
      reason: string;
    }
  | { status: 'expired'; debit: DebitFacts; authorisedAt: Instant; expiresAt: Instant; expiredAt: Instant };

export type DebitStatus = DebitState['status'];
export type ExistingDebitState = Exclude<DebitState, { status: 'none' }>;

export const initialDebitState = (): DebitState => ({ status: 'none' });
