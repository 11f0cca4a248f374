import fc from 'fast-check';
import { fromCheckpoint, type LogPosition, toCheckpoint } from './checkpoint';

const U64_MAX = 2n ** 64n - 1n;
const position = fc.record({
  commit: fc.bigInt({ min: 0n, max: U64_MAX }),
  prepare: fc.bigInt({ min: 0n, max: U64_MAX }),
});

function compare(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

describe('EventStoreDB checkpoint', () => {
  it('orders checkpoints as strings exactly as (commit, prepare) positions order in the log', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const [left, right] = [toCheckpoint(a), toCheckpoint(b)];
        const asStrings = left < right ? -1 : left > right ? 1 : 0;
        expect(asStrings).toBe(compare(a, b));
      }),
    );
  });

  it('round-trips every unsigned 64-bit position pair', () => {
    fc.assert(
      fc.property(position, (p) => {
        expect(fromCheckpoint(toCheckpoint(p))).toEqual(p);
      }),
    );
  });

  it('is fixed-width: 20 digits, a colon, 20 digits', () => {
    expect(toCheckpoint({ commit: 1234n, prepare: 1200n })).toBe('00000000000000001234:00000000000000001200');
    expect(toCheckpoint({ commit: U64_MAX, prepare: 0n })).toBe('18446744073709551615:00000000000000000000');
  });

  it('orders a later commit after an earlier one whatever the prepare positions', () => {
    expect(toCheckpoint({ commit: 10n, prepare: 999n }) < toCheckpoint({ commit: 11n, prepare: 0n })).toBe(true);
  });

  it('refuses positions it cannot encode in 20 digits', () => {
    expect(() => toCheckpoint({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => toCheckpoint({ commit: 10n ** 20n, prepare: 0n })).toThrow(RangeError);
  });

  it('refuses a checkpoint of another shape, e.g. from another store or hand-edited', () => {
    expect(() => fromCheckpoint('42')).toThrow('Not an EventStoreDB event store checkpoint: 42');
    expect(() => fromCheckpoint('0000000000000000001:00000000000000000001')).toThrow();
    expect(() => fromCheckpoint('00000000000000000001:00000000000000000001 ')).toThrow();
  });
});
