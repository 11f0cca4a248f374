import { DomainError } from '../../domain-error';
import type { LinkCommandType } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type {
  ConfirmLimitRaise,
  DebitLimitsChange,
  LinkLimitsEvent,
  RequestLimitsChange,
  SetLimitsByBank,
} from '../link-limits.messages';
import type { ExistingLinkState, LinkState, LinkStateIn } from '../link-state';
import { type DebitLimits, type LinkUsageTerms, MAX_YEN_AMOUNT } from '../link-usage';
import { existingLink, notInExpectedState } from './link-state-guards';

/*
 * Customer-set limits (R10), on the link's own stream. Whoever holds the app must not be able to raise what
 * the customer can lose, so the rules are:
 * - The app's change (`RequestLimitsChange`) is a target: each field left out keeps its value, `null` removes
 *   that limit. A field the target makes stricter is lowered at once (`LinkLimitsChanged` by `payment_app`);
 *   when any field is looser (a raise, `null` included), the whole target waits for the customer's confirmation
 *   at the bank (`LinkLimitRaiseRequested`, the target with its lowers already in force). A request that both
 *   lowers and raises records both. A new request replaces any pending raise; one that changes nothing
 *   withdraws it (`LinkLimitRaiseWithdrawn`); the same request again changes nothing.
 * - The bank's `limits.confirmed` (`ConfirmLimitRaise`) puts the pending target in force (`by: customer`); with
 *   nothing pending it is refused (`no_pending_limits`).
 * - The bank's `limits.updated` (`SetLimitsByBank`) is in force at once, up or down (`by: bank`), and ends any
 *   pending raise (it was asked of limits the bank has since set).
 * - Active links only; on a suspended link limits may only go down (a raise waits for reinstatement). Any other
 *   status: `link_not_active` for the app (422, as for debits), `link_not_in_expected_state` for the bank's
 *   webhooks (409, as for every bank webhook the link's state does not allow).
 */

const LIMIT_FIELDS = ['perDebit', 'daily', 'monthly'] as const satisfies readonly (keyof DebitLimits)[];

/** A limit as the service takes it: a positive whole number of yen up to MAX_YEN_AMOUNT, or null (no limit). */
export const isDebitLimitAmount = (value: unknown): value is number | null =>
  value === null || (Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_YEN_AMOUNT);

type UsageState = LinkStateIn<'active' | 'suspended'>;

const hasUsage = (state: ExistingLinkState): state is UsageState =>
  state.status === 'active' || state.status === 'suspended';

/** `target` lets more through than `current`; null is no limit. */
const isLooser = (target: number | null, current: number | null): boolean =>
  current !== null && (target === null || target > current);

const sameLimits = (a: DebitLimits, b: DebitLimits): boolean => LIMIT_FIELDS.every((field) => a[field] === b[field]);

const raisesAny = (current: DebitLimits, target: DebitLimits): boolean =>
  LIMIT_FIELDS.some((field) => isLooser(target[field], current[field]));

const limitsOf = (pick: (field: keyof DebitLimits) => number | null): DebitLimits => ({
  perDebit: pick('perDebit'),
  daily: pick('daily'),
  monthly: pick('monthly'),
});

const targetOf = (current: DebitLimits, change: DebitLimitsChange): DebitLimits =>
  limitsOf((field) => {
    const asked = change[field];
    return asked === undefined ? current[field] : asked;
  });

/** The target with its raises taken back: what may apply at once. */
const lowersOf = (current: DebitLimits, target: DebitLimits): DebitLimits =>
  limitsOf((field) => (isLooser(target[field], current[field]) ? current[field] : target[field]));

const assertAmounts = (command: LinkCommandType, change: DebitLimitsChange): void => {
  for (const field of LIMIT_FIELDS) {
    const value = change[field];
    if (value !== undefined && !isDebitLimitAmount(value)) {
      throw new DomainError(
        'invalid_debit_limit',
        `${command}: ${field} must be a whole number of yen from 1 to ${MAX_YEN_AMOUNT}, or null for no limit`,
      );
    }
  }
};

const linkNotActive = (command: LinkCommandType, state: ExistingLinkState, why = ''): DomainError =>
  new DomainError('link_not_active', `${command} needs an active link; this one is ${state.status}${why}`);

const ONLY_LOWERING = ': a suspended link’s limits may only be lowered';

export const requestLimitsChange = (command: RequestLimitsChange, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { now, change } = command.data;
  assertAmounts(command.type, change);
  if (!hasUsage(existing)) throw linkNotActive(command.type, existing);
  const { limits, pendingLimits } = existing.usage;
  const target = targetOf(limits, change);
  const raising = raisesAny(limits, target);
  if (raising && existing.status === 'suspended') throw linkNotActive(command.type, existing, ONLY_LOWERING);

  const linkId = existing.link.linkId;
  const lowered = lowersOf(limits, target);
  const events: LinkEvent[] = [];
  if (!sameLimits(lowered, limits)) {
    events.push({
      type: 'LinkLimitsChanged',
      data: { linkId, at: now, by: 'payment_app', limits: lowered, previous: limits },
    });
  }
  if (raising) {
    // The same raise asked again (a retried PUT) changes nothing.
    if (events.length === 0 && pendingLimits && sameLimits(pendingLimits, target)) return [];
    events.push({ type: 'LinkLimitRaiseRequested', data: { linkId, at: now, pending: target } });
  } else if (events.length === 0 && pendingLimits) {
    events.push({
      type: 'LinkLimitRaiseWithdrawn',
      data: { linkId, at: now, by: 'payment_app', withdrawn: pendingLimits },
    });
  }
  return events;
};

export const confirmLimitRaise = (command: ConfirmLimitRaise, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  if (existing.status !== 'active') throw notInExpectedState(command.type, existing);
  const { limits, pendingLimits } = existing.usage;
  if (!pendingLimits) {
    throw new DomainError('no_pending_limits', `${command.type}: the link has no raise of its limits pending`);
  }
  return [
    {
      type: 'LinkLimitsChanged',
      data: {
        linkId: existing.link.linkId,
        at: command.data.now,
        by: 'customer',
        limits: pendingLimits,
        previous: limits,
      },
    },
  ];
};

export const setLimitsByBank = (command: SetLimitsByBank, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { now, change } = command.data;
  assertAmounts(command.type, change);
  if (!hasUsage(existing)) throw notInExpectedState(command.type, existing);
  const { limits, pendingLimits } = existing.usage;
  const target = targetOf(limits, change);
  if (existing.status === 'suspended' && raisesAny(limits, target)) {
    throw new DomainError('link_not_in_expected_state', `${command.type}${ONLY_LOWERING}`);
  }
  const linkId = existing.link.linkId;
  if (!sameLimits(target, limits)) {
    return [{ type: 'LinkLimitsChanged', data: { linkId, at: now, by: 'bank', limits: target, previous: limits } }];
  }
  if (pendingLimits) {
    return [{ type: 'LinkLimitRaiseWithdrawn', data: { linkId, at: now, by: 'bank', withdrawn: pendingLimits } }];
  }
  return [];
};

const withoutPending = ({ pendingLimits: _settled, ...usage }: LinkUsageTerms): LinkUsageTerms => usage;

/** Folds a limits event into an active or suspended link; any other state (which the decider never gives one) stays. */
export const evolveLimits = (state: LinkState, event: LinkLimitsEvent): LinkState => {
  if (state.status !== 'active' && state.status !== 'suspended') return state;
  switch (event.type) {
    case 'LinkLimitsChanged':
      return { ...state, usage: { ...withoutPending(state.usage), limits: event.data.limits } };
    case 'LinkLimitRaiseRequested':
      return { ...state, usage: { ...state.usage, pendingLimits: event.data.pending } };
    case 'LinkLimitRaiseWithdrawn':
      return { ...state, usage: withoutPending(state.usage) };
  }
};
