import fc from 'fast-check';
import { DomainError } from '../domain-error';
import type { LinkUsageTerms } from '../link/link-usage';
import { DeciderSpecification } from '../testing/decider-specification';
import type { DebitFacts } from './debit.events';
import { japanDayOf, japanMonthOf } from './japan-calendar';
import {
  DebitRefusedError,
  decideSpending,
  evolveSpending,
  limitsInForce,
  type ReserveDebitAmount,
  spendingDecider,
} from './spending.decider';
import type { SpendingEvent } from './spending.events';
import { initialSpendingState, type SpendingState } from './spending.state';

const given = DeciderSpecification.for(spendingDecider);
const LINK_ID = 'lnk_spend';
const DEVICE = 'device-bound';
const NOW = '2026-12-01T03:00:00.000Z';

const usage = (overrides: Partial<LinkUsageTerms> = {}): LinkUsageTerms => ({
  boundDeviceId: DEVICE,
  limits: { perDebit: null, daily: null, monthly: null },
  ...overrides,
});

let sequence = 0;
const facts = (amount: number, overrides: Partial<DebitFacts> = {}): DebitFacts => ({
  debitId: `dbt_${++sequence}`,
  linkId: LINK_ID,
  paymentAppId: 'app',
  bankCode: '0001',
  amount,
  currency: 'JPY',
  reference: 'charge',
  deviceId: DEVICE,
  ...overrides,
});

const reserve = (
  debit: DebitFacts,
  options: { now?: string; usage?: LinkUsageTerms; status?: 'active' | 'suspended'; actorBlocked?: boolean } = {},
): ReserveDebitAmount => ({
  type: 'ReserveDebitAmount',
  data: {
    now: options.now ?? NOW,
    debit,
    link: { status: options.status ?? 'active', usage: options.usage ?? usage() },
    actorBlocked: options.actorBlocked ?? false,
  },
});

const reserved = (debit: DebitFacts, at = NOW): SpendingEvent => ({
  type: 'DebitAmountReserved',
  data: {
    ...debit,
    at,
    expiresAt: new Date(Date.parse(at) + 600_000).toISOString(),
    day: japanDayOf(at),
    month: japanMonthOf(at),
  },
});

const refusalOf = (command: ReserveDebitAmount, history: SpendingEvent[] = []) => {
  try {
    decideSpending(command, history.reduce(evolveSpending, initialSpendingState()));
  } catch (error) {
    if (error instanceof DebitRefusedError) return error.refusal;
    throw error;
  }
  return undefined;
};

describe('ReserveDebitAmount: the authorisation of a debit on its link’s totals', () => {
  it('reserves the amount of a debit within every limit, for 10 minutes, on its Japan day and month', () => {
    const debit = facts(5000);
    given([])
      .when(reserve(debit, { usage: usage({ limits: { perDebit: 5000, daily: 5000, monthly: 5000 } }) }))
      .then([reserved(debit)]);
  });

  it('counts a retried debit (the same id) once', () => {
    const debit = facts(5000);
    given([reserved(debit)])
      .when(reserve(debit))
      .thenNothingHappened();
  });

  it.each([['suspended' as const], ['active' as const]])(
    'refuses a link that is not active (%s without usage)',
    (status) => {
      const command = reserve(facts(100), { status });
      const notActive = {
        ...command,
        data: { ...command.data, link: { status: status === 'active' ? 'revoked' : status } },
      };
      expect(refusalOf(notActive as ReserveDebitAmount)).toMatchObject({ code: 'link_not_active' });
    },
  );

  it('refuses a debit from a device the link is not bound to (R9)', () => {
    expect(refusalOf(reserve(facts(100, { deviceId: 'another' })))).toMatchObject({ code: 'device_not_bound' });
  });

  it('refuses a debit of a blocked actor before anything else of the link’s own', () => {
    expect(refusalOf(reserve(facts(100, { deviceId: 'another' }), { actorBlocked: true }))).toMatchObject({
      code: 'actor_blocked',
    });
  });

  it('refuses an amount over the limit per debit, naming it and the yen allowed', () => {
    const limits = { perDebit: 3000, daily: null, monthly: null };
    expect(refusalOf(reserve(facts(3001), { usage: usage({ limits }) }))).toEqual({
      code: 'limit_exceeded',
      limit: 'per_debit',
      remaining: 3000,
      detail: 'The amount is over the limit per debit: 3000 yen remain',
    });
  });

  it('refuses past the daily limit with what remains of the Japan day, and counts a new Japan day afresh', () => {
    const limits = { perDebit: null, daily: 10_000, monthly: null };
    const lateEvening = '2026-12-01T14:30:00.000Z'; // 23:30 in Tokyo
    const history = [reserved(facts(8000), lateEvening)];
    expect(
      refusalOf(reserve(facts(2001), { usage: usage({ limits }), now: '2026-12-01T14:59:59.999Z' }), history),
    ).toMatchObject({ code: 'limit_exceeded', limit: 'daily', remaining: 2000 });
    // Midnight in Tokyo is 15:00 UTC: the day's total starts again.
    expect(
      refusalOf(reserve(facts(10_000), { usage: usage({ limits }), now: '2026-12-01T15:00:00.000Z' }), history),
    ).toBe(undefined);
  });

  it('refuses past the monthly limit across the days of a Japan month, and not in the next one', () => {
    const limits = { perDebit: null, daily: null, monthly: 30_000 };
    const history = [
      reserved(facts(20_000), '2026-11-01T00:00:00.000Z'),
      reserved(facts(9_000), '2026-11-30T14:00:00.000Z'),
    ];
    expect(
      refusalOf(reserve(facts(1001), { usage: usage({ limits }), now: '2026-11-30T14:59:00.000Z' }), history),
    ).toMatchObject({ limit: 'monthly', remaining: 1000 });
    expect(
      refusalOf(reserve(facts(30_000), { usage: usage({ limits }), now: '2026-11-30T15:00:00.000Z' }), history),
    ).toBe(undefined);
  });

  it('applies the bank’s initial limits while they last, the lower of the two', () => {
    const terms = usage({
      limits: { perDebit: 50_000, daily: 5_000, monthly: null },
      initialLimits: { perDebit: 10_000, daily: 20_000, until: '2026-12-08T03:00:00.000Z' },
    });
    expect(limitsInForce(terms, NOW)).toEqual({ perDebit: 10_000, daily: 5_000, monthly: null });
    expect(limitsInForce(terms, '2026-12-08T03:00:00.000Z')).toEqual(terms.limits);
    expect(refusalOf(reserve(facts(10_001), { usage: terms }))).toMatchObject({
      limit: 'per_debit',
      remaining: 10_000,
    });
  });

  it('no longer counts a released authorisation', () => {
    const limits = { perDebit: null, daily: 10_000, monthly: null };
    const first = facts(10_000);
    const released: SpendingEvent = {
      type: 'DebitAmountReleased',
      data: { linkId: LINK_ID, debitId: first.debitId, at: NOW, reason: 'expired' },
    };
    expect(refusalOf(reserve(facts(1), { usage: usage({ limits }) }), [reserved(first)])).toMatchObject({
      remaining: 0,
    });
    expect(refusalOf(reserve(facts(10_000), { usage: usage({ limits }) }), [reserved(first), released])).toBe(
      undefined,
    );
  });
});

describe('ReleaseDebitAmount', () => {
  it('releases a reservation once, and ignores one it does not hold', () => {
    const debit = facts(700);
    const release = {
      type: 'ReleaseDebitAmount',
      data: { now: NOW, linkId: LINK_ID, debitId: debit.debitId, reason: 'failed' },
    } as const;
    const releasedEvent: SpendingEvent = {
      type: 'DebitAmountReleased',
      data: { linkId: LINK_ID, debitId: debit.debitId, at: NOW, reason: 'failed' },
    };
    given([reserved(debit)])
      .when(release)
      .then([releasedEvent]);
    given([reserved(debit), releasedEvent])
      .when(release)
      .thenNothingHappened();
    given([]).when(release).thenNothingHappened();
  });
});

describe('the limits hold for any sequence of debits, limit changes and settlements (property)', () => {
  type Step =
    | { kind: 'debit'; amount: number; minutes: number }
    | { kind: 'limits'; perDebit: number | null; daily: number | null; monthly: number | null }
    | { kind: 'release'; pick: number };
  const limit = fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('debit' as const),
      amount: fc.integer({ min: 1, max: 20_000 }),
      minutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    }),
    fc.record({ kind: fc.constant('limits' as const), perDebit: limit, daily: limit, monthly: limit }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );

  it('never authorises more in a Japan day or month than the limit in force at each authorisation', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: SpendingState = initialSpendingState();
        let terms = usage();
        let now = Date.parse('2026-11-29T00:00:00.000Z');
        const open: string[] = [];
        for (const s of steps) {
          if (s.kind === 'limits') {
            terms = usage({ limits: { perDebit: s.perDebit, daily: s.daily, monthly: s.monthly } });
            continue;
          }
          if (s.kind === 'release') {
            const debitId = open[s.pick % Math.max(open.length, 1)];
            if (debitId === undefined) continue;
            const command = {
              type: 'ReleaseDebitAmount',
              data: { now: new Date(now).toISOString(), linkId: LINK_ID, debitId, reason: 'failed' },
            } as const;
            state = decideSpending(command, state).reduce(evolveSpending, state);
            continue;
          }
          now += s.minutes * 60_000;
          const at = new Date(now).toISOString();
          let events: SpendingEvent[] = [];
          try {
            events = decideSpending(reserve(facts(s.amount), { now: at, usage: terms }), state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          state = events.reduce(evolveSpending, state);
          for (const event of events) {
            open.push(event.data.debitId);
            const { perDebit, daily, monthly } = terms.limits;
            // What counts in the day and month after this authorisation, from the reservations themselves.
            const counting = Object.values(state.reservations).filter((r) => !r.released);
            const dayTotal = counting.filter((r) => r.day === japanDayOf(at)).reduce((sum, r) => sum + r.amount, 0);
            const monthTotal = counting
              .filter((r) => r.month === japanMonthOf(at))
              .reduce((sum, r) => sum + r.amount, 0);
            if (perDebit !== null && s.amount > perDebit) return false;
            if (daily !== null && dayTotal > daily) return false;
            if (monthly !== null && monthTotal > monthly) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
