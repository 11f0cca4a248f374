import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type { LinkStatus } from '../link/link-state';
import type { DebitLimits, LinkUsageTerms } from '../link/link-usage';
import type { DomainCommand } from '../message';
import { addMinutes, type Instant, isBefore } from '../time';
import type { DebitFacts, DebitLimitKind, DebitRefusal } from './debit.events';
import { japanDayOf, japanMonthOf } from './japan-calendar';
import type { SpendingEvent } from './spending.events';
import { initialSpendingState, type SpendingState } from './spending.state';

/** API.md: an authorisation expires after 10 minutes unless the bank reports it. */
export const DEBIT_AUTHORISATION_MINUTES = 10;

/** What of its link a debit is decided against, as the handler read it from the link's stream. */
export interface LinkTermsForDebit {
  status: LinkStatus;
  /** Present for active and suspended links. */
  usage?: LinkUsageTerms;
}

export type ReserveDebitAmount = DomainCommand<
  'ReserveDebitAmount',
  {
    now: Instant;
    debit: DebitFacts;
    link: LinkTermsForDebit;
    /** The defences of the debit's device or customer (R8) refuse it, as read from their streams. */
    actorBlocked: boolean;
  }
>;

export type ReleaseDebitAmount = DomainCommand<
  'ReleaseDebitAmount',
  { now: Instant; linkId: string; debitId: string; reason: 'expired' | 'failed' }
>;

export type SpendingCommand = ReserveDebitAmount | ReleaseDebitAmount;

/** A debit the rules refuse: the refusal is recorded on the debit's stream, nothing on the totals. */
export class DebitRefusedError extends DomainError {
  constructor(readonly refusal: DebitRefusal) {
    super(refusal.code, refusal.detail);
  }
}

const lower = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** The limits in force at `now`: the customer's, tightened by the bank's initial limits while they last. */
export function limitsInForce(usage: LinkUsageTerms, now: Instant): DebitLimits {
  const { limits, initialLimits } = usage;
  if (!initialLimits || !isBefore(now, initialLimits.until)) return limits;
  return {
    perDebit: lower(limits.perDebit, initialLimits.perDebit),
    daily: lower(limits.daily, initialLimits.daily),
    monthly: limits.monthly,
  };
}

const LIMIT_WORDS: Record<DebitLimitKind, string> = {
  per_debit: 'the limit per debit',
  daily: 'the daily limit (Japan time)',
  monthly: 'the monthly limit (Japan time)',
};

const exceeded = (limit: DebitLimitKind, remaining: number): DebitRefusedError =>
  new DebitRefusedError({
    code: 'limit_exceeded',
    limit,
    remaining,
    detail: `The amount is over ${LIMIT_WORDS[limit]}: ${remaining} yen remain`,
  });

/** R9, R10, R8: the rules an authorisation must pass, in the order a refusal names them. */
function refusalOf(command: ReserveDebitAmount, state: SpendingState): DebitRefusedError | undefined {
  const { now, debit, link, actorBlocked } = command.data;
  if (link.status !== 'active' || !link.usage) {
    return new DebitRefusedError({ code: 'link_not_active', detail: `The link is ${link.status}` });
  }
  if (actorBlocked) {
    return new DebitRefusedError({ code: 'actor_blocked', detail: 'Debits from this client are blocked for now' });
  }
  if (debit.deviceId !== link.usage.boundDeviceId) {
    return new DebitRefusedError({
      code: 'device_not_bound',
      detail: 'The link is bound to another device: the customer must re-authenticate at the bank to move it',
    });
  }
  const limits = limitsInForce(link.usage, now);
  if (limits.perDebit !== null && debit.amount > limits.perDebit) return exceeded('per_debit', limits.perDebit);
  const day = japanDayOf(now);
  if (limits.daily !== null) {
    const remaining = Math.max(0, limits.daily - (state.daily[day] ?? 0));
    if (debit.amount > remaining) return exceeded('daily', remaining);
  }
  if (limits.monthly !== null) {
    const remaining = Math.max(0, limits.monthly - (state.monthly[day.slice(0, 7)] ?? 0));
    if (debit.amount > remaining) return exceeded('monthly', remaining);
  }
  return undefined;
}

export const decideSpending = (command: SpendingCommand, state: SpendingState): SpendingEvent[] => {
  switch (command.type) {
    case 'ReserveDebitAmount': {
      const { now, debit } = command.data;
      // A retried request (the same debit id) is counted once.
      if (state.reservations[debit.debitId]) return [];
      const refusal = refusalOf(command, state);
      if (refusal) throw refusal;
      return [
        {
          type: 'DebitAmountReserved',
          data: {
            ...debit,
            at: now,
            expiresAt: addMinutes(now, DEBIT_AUTHORISATION_MINUTES),
            day: japanDayOf(now),
            month: japanMonthOf(now),
          },
        },
      ];
    }
    case 'ReleaseDebitAmount': {
      const { now, linkId, debitId, reason } = command.data;
      const reservation = state.reservations[debitId];
      if (!reservation || reservation.released) return [];
      return [{ type: 'DebitAmountReleased', data: { linkId, debitId, at: now, reason } }];
    }
    default:
      return assertNever(command, 'spending command');
  }
};

const add = (totals: Readonly<Record<string, number>>, key: string, amount: number) => ({
  ...totals,
  [key]: (totals[key] ?? 0) + amount,
});

export const evolveSpending = (state: SpendingState, event: SpendingEvent): SpendingState => {
  switch (event.type) {
    case 'DebitAmountReserved': {
      const { debitId, amount, day, month, at, expiresAt } = event.data;
      if (state.reservations[debitId]) return state;
      return {
        reservations: { ...state.reservations, [debitId]: { amount, at, expiresAt, day, month, released: false } },
        daily: add(state.daily, day, amount),
        monthly: add(state.monthly, month, amount),
        lastAuthorisedAt: at,
      };
    }
    case 'DebitAmountReleased': {
      const reservation = state.reservations[event.data.debitId];
      if (!reservation || reservation.released) return state;
      return {
        ...state,
        reservations: { ...state.reservations, [event.data.debitId]: { ...reservation, released: true } },
        daily: add(state.daily, reservation.day, -reservation.amount),
        monthly: add(state.monthly, reservation.month, -reservation.amount),
      };
    }
    default:
      return assertNever(event, 'spending event');
  }
};

/** A link's running totals (`spending-{linkId}`), decided with the expected revision: concurrent debits queue here. */
export const spendingDecider: Decider<SpendingState, SpendingCommand, SpendingEvent> = {
  decide: decideSpending,
  evolve: evolveSpending,
  initialState: initialSpendingState,
};
