import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { isBefore } from '../time';
import type { DebitCommand } from './debit.commands';
import type { DebitEvent } from './debit.events';
import { type DebitState, type ExistingDebitState, initialDebitState } from './debit.state';

const notAuthorised = (state: ExistingDebitState, what: string) =>
  new DomainError('debit_not_authorised', `The debit is ${state.status}: it cannot be ${what}`);

const existing = (state: DebitState, debitId?: string): ExistingDebitState => {
  if (state.status === 'none') throw new DomainError('debit_not_found', `No debit ${debitId ?? ''}`.trim());
  return state;
};

/** The same record twice (a retry, the process manager after the request) is nothing new; another one is refused. */
const recordedAlready = (state: ExistingDebitState, status: ExistingDebitState['status']): DebitEvent[] => {
  if (state.status === status) return [];
  throw new DomainError('debit_already_recorded', `The debit is already ${state.status}`);
};

export const decideDebit = (command: DebitCommand, state: DebitState): DebitEvent[] => {
  switch (command.type) {
    case 'RecordDebitAuthorised': {
      const { debit, authorisedAt, expiresAt } = command.data;
      if (state.status !== 'none') return recordedAlready(state, 'authorised');
      return [{ type: 'DebitAuthorised', data: { ...debit, at: authorisedAt, expiresAt } }];
    }
    case 'RecordDebitRefused': {
      const { debit, refusal, now } = command.data;
      if (state.status !== 'none') return recordedAlready(state, 'refused');
      return [{ type: 'DebitRefused', data: { ...debit, ...refusal, at: now } }];
    }
    case 'SettleDebit': {
      const debit = existing(state);
      if (debit.status === 'settled') return [];
      if (debit.status !== 'authorised') throw notAuthorised(debit, 'settled');
      const { debitId, linkId } = debit.debit;
      return [
        { type: 'DebitSettled', data: { debitId, linkId, at: command.data.now, settledAt: command.data.settledAt } },
      ];
    }
    case 'FailDebit': {
      const debit = existing(state);
      if (debit.status === 'failed') return [];
      if (debit.status !== 'authorised') throw notAuthorised(debit, 'reported failed');
      const { debitId, linkId } = debit.debit;
      return [{ type: 'DebitFailed', data: { debitId, linkId, at: command.data.now, reason: command.data.reason } }];
    }
    case 'ExpireDebit': {
      const debit = existing(state);
      // Settled, failed or expired already: the timer has nothing left to end.
      if (debit.status !== 'authorised') return [];
      if (isBefore(command.data.now, debit.expiresAt)) {
        throw new DomainError('debit_not_yet_expired', `The authorisation lasts until ${debit.expiresAt}`);
      }
      const { debitId, linkId } = debit.debit;
      return [{ type: 'DebitExpired', data: { debitId, linkId, at: command.data.now } }];
    }
    default:
      return assertNever(command, 'debit command');
  }
};

const factsOf = ({
  debitId,
  linkId,
  paymentAppId,
  bankCode,
  amount,
  currency,
  reference,
  deviceId,
}: DebitEvent['data'] & Partial<ExistingDebitState['debit']>) => ({
  debitId,
  linkId,
  paymentAppId: paymentAppId as string,
  bankCode: bankCode as string,
  amount: amount as number,
  currency: currency as 'JPY',
  reference: reference as string,
  deviceId: deviceId as string,
});

export const evolveDebit = (state: DebitState, event: DebitEvent): DebitState => {
  switch (event.type) {
    case 'DebitAuthorised':
      return {
        status: 'authorised',
        debit: factsOf(event.data),
        authorisedAt: event.data.at,
        expiresAt: event.data.expiresAt,
      };
    case 'DebitRefused': {
      const { code, detail, limit, remaining } = event.data;
      return {
        status: 'refused',
        debit: factsOf(event.data),
        refusedAt: event.data.at,
        refusal: { code, detail, ...(limit ? { limit } : {}), ...(remaining !== undefined ? { remaining } : {}) },
      };
    }
    case 'DebitSettled':
      return state.status === 'authorised' ? { ...state, status: 'settled', settledAt: event.data.settledAt } : state;
    case 'DebitFailed':
      return state.status === 'authorised'
        ? { ...state, status: 'failed', failedAt: event.data.at, reason: event.data.reason }
        : state;
    case 'DebitExpired':
      return state.status === 'authorised' ? { ...state, status: 'expired', expiredAt: event.data.at } : state;
    default:
      return assertNever(event, 'debit event');
  }
};

/** One debit's stream (`debit-{id}`): authorised or refused once, then settled, failed or expired. */
export const debitDecider: Decider<DebitState, DebitCommand, DebitEvent> = {
  decide: decideDebit,
  evolve: evolveDebit,
  initialState: initialDebitState,
};
