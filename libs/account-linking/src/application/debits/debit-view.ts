import type { DebitLimitKind } from '../../domain/debit/debit.events';
import type { ExistingDebitState } from '../../domain/debit/debit.state';

/** A debit as the app and the bank see it (API.md "Debits"). */
export interface DebitView {
  id: string;
  linkId: string;
  status: ExistingDebitState['status'];
  amount: number;
  currency: 'JPY';
  reference: string;
  deviceId: string;
  authorisedAt?: string;
  expiresAt?: string;
  settledAt?: string;
  failedAt?: string;
  expiredAt?: string;
  refusedAt?: string;
  /** A refused debit's problem code, and for `limit_exceeded` which limit and what remains; a failed one's reason. */
  reason?: string;
  reasonDetail?: string;
  limit?: DebitLimitKind;
  remaining?: number;
}

export function toDebitView(state: ExistingDebitState): DebitView {
  const { debit } = state;
  const view: DebitView = {
    id: debit.debitId,
    linkId: debit.linkId,
    status: state.status,
    amount: debit.amount,
    currency: debit.currency,
    reference: debit.reference,
    deviceId: debit.deviceId,
  };
  if (state.status === 'refused') {
    const { refusal } = state;
    return {
      ...view,
      refusedAt: state.refusedAt,
      reason: refusal.code,
      reasonDetail: refusal.detail,
      ...(refusal.limit ? { limit: refusal.limit } : {}),
      ...(refusal.remaining !== undefined ? { remaining: refusal.remaining } : {}),
    };
  }
  const authorised = { ...view, authorisedAt: state.authorisedAt, expiresAt: state.expiresAt };
  switch (state.status) {
    case 'settled':
      return { ...authorised, settledAt: state.settledAt };
    case 'failed':
      return { ...authorised, failedAt: state.failedAt, reason: state.reason };
    case 'expired':
      return { ...authorised, expiredAt: state.expiredAt };
    default:
      return authorised;
  }
}
