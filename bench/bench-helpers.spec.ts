import type { EventStore } from '@lib/event-store/event-store.port';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import {
  ATTACK_POOL,
  answerLabelOf,
  attackAccountNumberOf,
  attackLinkRequestBody,
  attackOutcomeOf,
} from './http-load/attack-requests';
import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import { accountNumberOf, debitRequestBody } from './http-load/lifecycle-requests';
import { parseOptions } from './options';
import { firstSeenAtOrPast } from './phases/projection-lag';
import { SqlStatementCounter } from './phases/sql-calls';
import { StoreCallCounter, streamKindOf } from './phases/store-calls';
import { attackFigures, splitClients, underAttackRatios } from './phases/under-attack';
import { rssFigures, spread } from './rss';
import { percentile, ratio, slope, summarize } from './stats';
import { formatNumber, formatPair, formatRatio, renderTable } from './table';

// The bench's pure helpers. Nothing here times anything: the bench measures, tests only check its arithmetic.
describe('bench statistics', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes nearest-rank percentiles', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
  });

  it('summarises unsorted samples without changing them', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(summarize(samples)).toEqual({ count: 5, min: 1, p50: 3, p99: 5, max: 5, mean: 3 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(summarize([])).toBeUndefined();
  });

  it('divides by a ceiling only when there is one', () => {
    expect(ratio(25, 100)).toBe(0.25);
    expect(ratio(25, 0)).toBeUndefined();
    expect(ratio(undefined, 100)).toBeUndefined();
    expect(ratio(25, undefined)).toBeUndefined();
  });

  it('fits the slope of RSS against work done, flat or growing', () => {
    expect(slope([1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 })))).toBeCloseTo(2);
    expect(slope([1, 2, 3].map((x) => ({ x, y: 10 })))).toBe(0);
    expect(slope([{ x: 1, y: 1 }])).toBeUndefined();
    expect(slope([1, 1].map((x) => ({ x, y: x })))).toBeUndefined();
    const samples = [0, 1, 2, 3].map((i) => ({ at: i * 250, done: i * 50_000, rssMb: 500 + (i < 2 ? i * 100 : 200) }));
    // Start, peak and end over all samples; the slope over the second half only (after caches fill).
    expect(rssFigures(samples, 100_000, 'events')).toMatchObject({ startMb: 500, peakMb: 700, endMb: 700, slopeMb: 0 });
    expect(rssFigures(samples, 100_000, 'events', 0)?.slopeMb).toBeCloseTo(140);
  });

  it('keeps an evenly spread series of the samples', () => {
    expect(spread([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
  });

  it('finds when a projection was first seen at or past a checkpoint', () => {
    const timeline = [
      { at: 10, checkpoint: '001:001' },
      { at: 20, checkpoint: '001:005' },
      { at: 30, checkpoint: '002:009' },
    ];
    expect(firstSeenAtOrPast(timeline, '001:001')).toBe(10);
    expect(firstSeenAtOrPast(timeline, '001:003')).toBe(20);
    expect(firstSeenAtOrPast(timeline, '002:009')).toBe(30);
    expect(firstSeenAtOrPast(timeline, '003:000')).toBeUndefined();
  });
});

describe('bench table', () => {
  it('formats figures to three significant figures, thousands grouped', () => {
    expect(formatNumber(12_345.6)).toBe('12,346');
    expect(formatNumber(123.4)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(99.96)).toBe('100');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(undefined)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('–');
  });

  it('formats ratios and pairs', () => {
    expect(formatRatio(0.4567)).toBe('0.46×');
    expect(formatRatio(2.5)).toBe('2.50×');
    expect(formatRatio(0.0031)).toBe('0.0031×');
    expect(formatRatio(106.72)).toBe('107×');
    expect(formatRatio(undefined)).toBe('–');
    expect(formatPair(1.234, 56.78)).toBe('1.23 / 56.8');
    expect(formatPair(undefined, undefined)).toBe('–');
  });

  it('renders an aligned Markdown table', () => {
    const table = renderTable(
      ['figure', 'PGlite'],
      [
        ['links/s', '19.1'],
        ['  ÷ ceiling', '0.03×'],
        ['a | b', ''],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| figure      | PGlite |',
      '|-------------|--------|',
      '| links/s     | 19.1   |',
      '|   ÷ ceiling | 0.03×  |',
      '| a \\| b      |        |',
    ]);
  });
});

describe('bench options', () => {
  it('reads quick mode from the flag or the environment, and the defaults of each mode', () => {
    expect(parseOptions(['--quick'], {})).toMatchObject({ mode: 'quick', clients: 8, rebuildEvents: 50_000 });
    expect(parseOptions([], { BENCH_QUICK: '1' }).mode).toBe('quick');
    expect(parseOptions([], {})).toMatchObject({ mode: 'full', rebuildEvents: 1_000_000 });
    expect(parseOptions(['--clients', '16', '--store=postgres', '--events', '10_000'], {})).toMatchObject({
      clients: 16,
      stores: ['PostgreSQL server'],
      rebuildEvents: 10_000,
    });
    expect(() => parseOptions(['--clients', '0'], {})).toThrow('positive whole number');
    expect(() => parseOptions(['--fast'], {})).toThrow('Unknown option --fast');
    expect(parseOptions(['--only', 'debits'], {}).only).toBe('debits');
    expect(parseOptions([], {}).only).toBeUndefined();
    expect(parseOptions(['--only', 'lifecycle'], {}).only).toBe('lifecycle');
    expect(parseOptions(['--only', 'rebuild'], {}).only).toBe('rebuild');
    expect(() => parseOptions(['--only', 'webhooks'], {})).toThrow('--only is debits, lifecycle or rebuild');
  });
});

describe('bench under attack', () => {
  it('splits the clients between legitimate ones and attackers, one at least of each', () => {
    expect(splitClients(8)).toEqual({ legitimate: 4, attackers: 4 });
    expect(splitClients(3)).toEqual({ legitimate: 1, attackers: 2 });
    expect(splitClients(1)).toEqual({ legitimate: 1, attackers: 1 });
  });

  it('tries fresh accounts no legitimate client uses, from a few devices and customers behind one address', () => {
    const body = JSON.parse(attackLinkRequestBody(17, { device: 21, customer: 6 }, ATTACK_POOL));
    expect(body.bankAccount).toMatchObject({ bankCode: '9900', number: '8000017' });
    expect(body.device).toEqual({ id: 'attacker-device-5', ipAddress: '203.0.113.66' });
    expect(body.customer).toEqual({ reference: 'attacker-customer-2' });
    expect(attackAccountNumberOf(0)).not.toBe(attackAccountNumberOf(1));
    expect(attackAccountNumberOf(1_999_999)).toBe('9999999');
    // The legitimate clients' accounts stay below 8,000,000 for their first seven million links.
    expect(Number(accountNumberOf(6_999_999))).toBeLessThan(Number(attackAccountNumberOf(0)));
  });

  it("sorts the attackers' answers into accepted, actor_blocked and other", () => {
    const problem = (code: string) => JSON.stringify({ status: 422, code });
    expect(attackOutcomeOf({ status: 201, body: '{"id":"lnk_1"}' })).toBe('accepted');
    expect(attackOutcomeOf({ status: 422, body: problem('actor_blocked') })).toBe('actor_blocked');
    expect(attackOutcomeOf({ status: 422, body: problem('account_locked') })).toBe('other');
    expect(attackOutcomeOf({ status: 500, body: 'not json' })).toBe('other');
    expect(attackOutcomeOf(undefined)).toBe('other');
    expect(answerLabelOf({ status: 409, body: JSON.stringify({ code: 'link_already_in_progress' }) })).toBe(
      '409 link_already_in_progress',
    );
    expect(answerLabelOf({ status: 500, body: '' })).toBe('500');
    expect(answerLabelOf(undefined)).toBe('network');
  });

  it("gives the attack's rates and outcomes over its whole run", () => {
    const figures = attackFigures(
      {
        startedAt: 1_000,
        endedAt: 5_000,
        outcomes: { accepted: 10, actor_blocked: 388, other: 2 },
        otherAnswers: { '409 link_already_in_progress': 2 },
        latenciesMs: Array.from({ length: 400 }, (_, i) => i + 1),
        failureWebhooks: { latenciesMs: [5, 7], statuses: { 204: 10 } },
        devicesTaken: 388,
        nextAttempt: 400,
      },
      4,
      ATTACK_POOL,
    );
    expect(figures).toMatchObject({ seconds: 4, requests: 400, requestsPerSecond: 100, blockedShare: 0.97 });
    expect(figures.allRequestsPerSecond).toBe(102.5);
    expect(figures.failureWebhooks).toMatchObject({ requests: 10, latencyMs: { p50: 5 } });
    expect(figures.latencyMs).toMatchObject({ p50: 200, p99: 396 });
  });

  it('divides legitimate throughput under attack by the same alone, and shares the service between them', () => {
    const alone = { linksPerSecond: 40, httpLinksPerSecond: 50, requestsPerSecond: 100 };
    const attacked = { linksPerSecond: 30, httpLinksPerSecond: 25, requestsPerSecond: 50 };
    expect(underAttackRatios(alone, attacked, 150)).toEqual({
      linksPerSecondRatio: 0.75,
      httpLinksPerSecondRatio: 0.5,
      serviceRequestsPerSecondRatio: 2,
      attackShareOfRequests: 0.75,
    });
    expect(underAttackRatios({ ...alone, linksPerSecond: undefined }, attacked, undefined)).toEqual({
      linksPerSecondRatio: undefined,
      httpLinksPerSecondRatio: 0.5,
      serviceRequestsPerSecondRatio: undefined,
      attackShareOfRequests: undefined,
    });
  });

  it("names the service's streams by kind", () => {
    expect(streamKindOf('actor-device-AbC_12')).toBe('actor-device');
    expect(streamKindOf('actor-ip_address-x-y')).toBe('actor-ip_address');
    expect(streamKindOf('bank-account-tok_123')).toBe('bank-account');
    expect(streamKindOf('bank-inbox-9900')).toBe('bank-inbox');
    expect(streamKindOf('link-lnk_abc')).toBe('link');
    expect(streamKindOf('plain')).toBe('plain');
  });

  it("counts the store's reads, appends and conflicts by stream kind, then puts its methods back", async () => {
    const read = async () => [{ revision: 0 }, { revision: 1 }];
    const append = async (stream: string) => {
      if (stream === 'actor-device-a') throw new WrongExpectedRevisionError(stream, 0, 1);
      return { nextExpectedRevision: 1 };
    };
    const store = { readStream: read, appendToStream: append } as unknown as EventStore;
    const counter = new StoreCallCounter(store);
    await store.readStream('actor-device-a');
    await store.readStream('actor-device-b');
    await expect(store.appendToStream('actor-device-a', [], 0)).rejects.toThrow(WrongExpectedRevisionError);
    await store.appendToStream('link-lnk_1', [{ id: '1', type: 'T', data: {}, metadata: {} as never }], 'no_stream');
    const taken = counter.take();
    expect(taken['actor-device']).toMatchObject({ reads: 2, eventsRead: 4, appends: 0, conflicts: 1 });
    expect(taken.link).toMatchObject({ reads: 0, appends: 1, eventsAppended: 1, conflicts: 0 });
    expect(taken.all).toMatchObject({ reads: 2, eventsRead: 4, appends: 1, conflicts: 1 });
    expect(counter.take()).toEqual({ all: expect.objectContaining({ reads: 0 }) });
    counter.stop();
    expect(store.readStream).toBe(read);
    expect(store.appendToStream).toBe(append);
  });
});

describe('bench debits', () => {
  it('asks for a debit from the bound device, with a reference of its own and one address per client', () => {
    const body = JSON.parse(debitRequestBody(42, 'bench-device-3', 1, 2));
    expect(body).toEqual({
      amount: 1,
      currency: 'JPY',
      reference: 'bench-charge-42',
      device: { id: 'bench-device-3', ipAddress: '198.51.100.3' },
    });
  });

  it("counts the service's SQL statements, a transaction's BEGIN and COMMIT included, and puts the client back", async () => {
    const executor: SqlExecutor = { query: async () => [] };
    const sql = {
      query: async () => [],
      transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>) => work(executor),
      withSession: async <T>(work: (session: never) => Promise<T>) =>
        work({ ...executor, transaction: (w: (tx: SqlExecutor) => Promise<unknown>) => w(executor) } as never),
    } as unknown as SqlClient;
    const original = sql.query;
    const counter = new SqlStatementCounter(sql);

    await sql.query('SELECT 1');
    await sql.transaction(async (tx) => {
      await tx.query('UPDATE   es_projection_checkpoints SET x');
      await tx.query('UPDATE es_projection_checkpoints SET x');
    });
    await sql.withSession(async (session) => {
      await session.query('SELECT 2');
    });

    expect(counter.take()).toEqual({ query: 1, inTransaction: 2, transactions: 1, inSession: 1, all: 6 });
    expect(counter.takeTexts(1)).toEqual([{ statement: 'UPDATE es_projection_checkpoints SET x', count: 2 }]);
    expect(counter.take().all).toBe(0);
    counter.stop();
    expect(sql.query).toBe(original);
  });
});
