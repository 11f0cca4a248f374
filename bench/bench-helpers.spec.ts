import { parseOptions } from './options';
import { firstSeenAtOrPast } from './phases/projection-lag';
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
  });
});
