import { DeciderSpecification } from '../../testing/decider-specification';
import type { LinkEvent } from '../link-events';
import type { DebitLimits } from '../link-usage';
import { MAX_YEN_AMOUNT } from '../link-usage';
import { linkDecider } from '../link.decider';
import { evolve } from '../link.evolve';
import { initialLinkState } from '../link-state';
import type { DebitLimitsChange } from '../link-limits.messages';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';
import { isDebitLimitAmount } from './limits';

const given = DeciderSpecification.for(linkDecider);

const EARLIER = '2026-11-21T08:00:00.000Z';
const NONE: DebitLimits = { perDebit: null, daily: null, monthly: null };
const SET: DebitLimits = { perDebit: 10_000, daily: 30_000, monthly: 100_000 };

const appChange = (change: DebitLimitsChange) =>
  ({ type: 'RequestLimitsChange', data: { now: LATER, change } }) as const;
const bankSets = (change: DebitLimitsChange) => ({ type: 'SetLimitsByBank', data: { now: LATER, change } }) as const;
const confirmation = { type: 'ConfirmLimitRaise', data: { now: LATER } } as const;

const changed = (by: 'payment_app' | 'bank' | 'customer', limits: DebitLimits, previous: DebitLimits, at = LATER) =>
  ({ type: 'LinkLimitsChanged', data: { linkId: LINK_ID, at, by, limits, previous } }) as const;
const raiseRequested = (pending: DebitLimits, at = LATER) =>
  ({ type: 'LinkLimitRaiseRequested', data: { linkId: LINK_ID, at, pending } }) as const;
const withdrawn = (by: 'payment_app' | 'bank', pending: DebitLimits) =>
  ({ type: 'LinkLimitRaiseWithdrawn', data: { linkId: LINK_ID, at: LATER, by, withdrawn: pending } }) as const;

/** An active link whose limits are SET (the bank set them earlier). */
const withLimits: LinkEvent[] = [...HISTORIES.active, changed('bank', SET, NONE, EARLIER)];
const RAISE: DebitLimits = { ...SET, daily: 50_000 };
const withPendingRaise: LinkEvent[] = [...withLimits, raiseRequested(RAISE, EARLIER)];

const usageAfter = (events: readonly LinkEvent[]) => {
  const state = events.reduce(evolve, initialLinkState());
  if (state.status !== 'active' && state.status !== 'suspended') throw new Error(`no usage: ${state.status}`);
  return state.usage;
};

const NOT_USABLE: HistoryName[] = [
  'awaiting_bank_authentication',
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
  'revoked',
  'rejected',
  'expired',
];

describe("The app changes a link's limits (R10)", () => {
  it('lowers a limit at once, keeping the fields it leaves out', () => {
    given(withLimits)
      .when(appChange({ daily: 20_000 }))
      .then([changed('payment_app', { ...SET, daily: 20_000 }, SET)]);
  });

  it('sets a limit where there was none at once: that is a lowering', () => {
    given(HISTORIES.active)
      .when(appChange({ perDebit: 5_000 }))
      .then([changed('payment_app', { ...NONE, perDebit: 5_000 }, NONE)]);
  });

  it('puts a raise in pending and changes nothing in force', () => {
    given(withLimits)
      .when(appChange({ monthly: 200_000 }))
      .then([raiseRequested({ ...SET, monthly: 200_000 })]);
  });

  it('takes null (removing a limit) as a raise', () => {
    given(withLimits)
      .when(appChange({ perDebit: null }))
      .then([raiseRequested({ ...SET, perDebit: null })]);
  });

  it('lowers at once and puts the whole target in pending when a request both lowers and raises', () => {
    const target = { perDebit: 5_000, daily: 60_000, monthly: 100_000 };
    given(withLimits)
      .when(appChange({ perDebit: 5_000, daily: 60_000 }))
      .then([changed('payment_app', { ...SET, perDebit: 5_000 }, SET), raiseRequested(target)]);
  });

  it('changes nothing when asked for the limits in force and nothing is pending', () => {
    given(withLimits)
      .when(appChange({ perDebit: SET.perDebit }))
      .thenNothingHappened();
    given(withLimits).when(appChange({})).thenNothingHappened();
  });

  it('changes nothing when the same raise is asked again (a retried PUT)', () => {
    given(withPendingRaise)
      .when(appChange({ daily: RAISE.daily }))
      .thenNothingHappened();
  });

  it('changes nothing when a mixed request is asked again once its lowers are in force', () => {
    const target = { perDebit: 5_000, daily: 60_000, monthly: 100_000 };
    given([...withLimits, changed('payment_app', { ...SET, perDebit: 5_000 }, SET), raiseRequested(target)])
      .when(appChange({ perDebit: 5_000, daily: 60_000 }))
      .thenNothingHappened();
  });

  it('replaces a pending raise with a new one', () => {
    given(withPendingRaise)
      .when(appChange({ monthly: 150_000 }))
      .then([raiseRequested({ ...SET, monthly: 150_000 })]);
  });

  it('replaces a pending raise with a lowering: the lowering settles it', () => {
    const events = [...withPendingRaise, changed('payment_app', { ...SET, perDebit: 1_000 }, SET)];
    given(withPendingRaise)
      .when(appChange({ perDebit: 1_000 }))
      .then([changed('payment_app', { ...SET, perDebit: 1_000 }, SET)]);
    expect(usageAfter(events).pendingLimits).toBeUndefined();
    expect(usageAfter(events).limits).toEqual({ ...SET, perDebit: 1_000 });
  });

  it('withdraws a pending raise when asked for the limits in force', () => {
    given(withPendingRaise)
      .when(appChange({ daily: SET.daily }))
      .then([withdrawn('payment_app', RAISE)]);
    expect(usageAfter([...withPendingRaise, withdrawn('payment_app', RAISE)]).pendingLimits).toBeUndefined();
  });

  it('lowers the limits of a suspended link', () => {
    given([...withLimits, ...HISTORIES.suspended.slice(HISTORIES.active.length)])
      .when(appChange({ daily: 1_000 }))
      .then([changed('payment_app', { ...SET, daily: 1_000 }, SET)]);
  });

  it('refuses to raise the limits of a suspended link, lowering nothing either', () => {
    given([...withLimits, ...HISTORIES.suspended.slice(HISTORIES.active.length)])
      .when(appChange({ perDebit: 1_000, daily: 90_000 }))
      .thenThrows('link_not_active');
  });

  it('refuses a link that does not exist', () => {
    given([])
      .when(appChange({ daily: 1_000 }))
      .thenThrows('link_not_found');
  });

  it.each(NOT_USABLE)('refuses a link that is %s', (name) => {
    given(HISTORIES[name])
      .when(appChange({ daily: 1_000 }))
      .thenThrows('link_not_active');
  });

  it.each([0, -1, 1.5, MAX_YEN_AMOUNT + 1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %p yen as a limit',
    (amount) => {
      given(withLimits)
        .when(appChange({ daily: amount }))
        .thenThrows('invalid_debit_limit');
    },
  );
});

describe('The customer confirms a raise at the bank (limits.confirmed)', () => {
  it('puts the pending target in force', () => {
    given(withPendingRaise)
      .when(confirmation)
      .then([changed('customer', RAISE, SET)]);
    const usage = usageAfter([...withPendingRaise, changed('customer', RAISE, SET)]);
    expect(usage.limits).toEqual(RAISE);
    expect(usage.pendingLimits).toBeUndefined();
  });

  it('is refused when nothing is pending', () => {
    given(withLimits).when(confirmation).thenThrows('no_pending_limits');
  });

  it('is refused a second time: the first confirmation settled the raise', () => {
    given([...withPendingRaise, changed('customer', RAISE, SET)])
      .when(confirmation)
      .thenThrows('no_pending_limits');
  });

  it('is refused on a suspended link, which keeps the raise pending', () => {
    const suspendedWithRaise = [...withPendingRaise, ...HISTORIES.suspended.slice(HISTORIES.active.length)];
    given(suspendedWithRaise).when(confirmation).thenThrows('link_not_in_expected_state');
    expect(usageAfter(suspendedWithRaise).pendingLimits).toEqual(RAISE);
  });

  it.each(NOT_USABLE)('is refused on a link that is %s', (name) => {
    given(HISTORIES[name]).when(confirmation).thenThrows('link_not_in_expected_state');
  });
});

describe('The bank sets limits itself (limits.updated)', () => {
  it('raises at once', () => {
    given(withLimits)
      .when(bankSets({ monthly: 500_000 }))
      .then([changed('bank', { ...SET, monthly: 500_000 }, SET)]);
  });

  it('lowers and removes limits at once', () => {
    given(withLimits)
      .when(bankSets({ perDebit: 2_000, monthly: null }))
      .then([changed('bank', { perDebit: 2_000, daily: 30_000, monthly: null }, SET)]);
  });

  it('ends a pending raise when it sets the limits', () => {
    const events = [...withPendingRaise, changed('bank', { ...SET, perDebit: 2_000 }, SET)];
    given(withPendingRaise)
      .when(bankSets({ perDebit: 2_000 }))
      .then([changed('bank', { ...SET, perDebit: 2_000 }, SET)]);
    expect(usageAfter(events).pendingLimits).toBeUndefined();
  });

  it('withdraws a pending raise when it sets the limits in force', () => {
    given(withPendingRaise)
      .when(bankSets({ daily: SET.daily }))
      .then([withdrawn('bank', RAISE)]);
  });

  it('changes nothing when it sets the limits in force and nothing is pending', () => {
    given(withLimits).when(bankSets(SET)).thenNothingHappened();
  });

  it('lowers the limits of a suspended link', () => {
    given([...withLimits, ...HISTORIES.suspended.slice(HISTORIES.active.length)])
      .when(bankSets({ perDebit: 1_000 }))
      .then([changed('bank', { ...SET, perDebit: 1_000 }, SET)]);
  });

  it('does not raise the limits of a suspended link', () => {
    given([...withLimits, ...HISTORIES.suspended.slice(HISTORIES.active.length)])
      .when(bankSets({ perDebit: null }))
      .thenThrows('link_not_in_expected_state');
  });

  it('refuses a link that does not exist', () => {
    given([])
      .when(bankSets({ daily: 1_000 }))
      .thenThrows('link_not_found');
  });

  it.each(NOT_USABLE)('refuses a link that is %s', (name) => {
    given(HISTORIES[name])
      .when(bankSets({ daily: 1_000 }))
      .thenThrows('link_not_in_expected_state');
  });

  it('refuses an amount that is not a limit', () => {
    given(withLimits)
      .when(bankSets({ perDebit: 0 }))
      .thenThrows('invalid_debit_limit');
  });
});

describe('Limits across a suspension', () => {
  it('keeps the limits in force and the pending raise through a suspension and a reinstatement', () => {
    const events: LinkEvent[] = [
      ...withPendingRaise,
      { type: 'LinkSuspended', data: { linkId: LINK_ID, at: LATER, by: 'bank', reason: 'check' } },
      { type: 'LinkReinstated', data: { linkId: LINK_ID, at: LATER, by: 'bank', reason: 'checked' } },
    ];
    expect(usageAfter(events)).toMatchObject({ limits: SET, pendingLimits: RAISE });
    given(events)
      .when(confirmation)
      .then([changed('customer', RAISE, SET)]);
  });
});

describe('isDebitLimitAmount', () => {
  it.each([1, 5_000, MAX_YEN_AMOUNT, null])('takes %p', (value) => {
    expect(isDebitLimitAmount(value)).toBe(true);
  });

  it.each([0, -5, 0.5, MAX_YEN_AMOUNT + 1, '5000', undefined, Number.NaN])('refuses %p', (value) => {
    expect(isDebitLimitAmount(value)).toBe(false);
  });
});
