import { ANY, NO_STREAM } from '@eventstore/db-client';
import { toClientExpectedRevision } from './expected-revision';

describe("the port's expected revision in the EventStoreDB client's terms", () => {
  it('maps no_stream to NO_STREAM and any to ANY', () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('any')).toBe(ANY);
  });

  it('maps an exact revision to the same revision as a bigint', () => {
    expect(toClientExpectedRevision(0)).toBe(0n);
    expect(toClientExpectedRevision(41)).toBe(41n);
    expect(toClientExpectedRevision(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('refuses a revision that cannot be one: negative, fractional or unsafe', () => {
    expect(() => toClientExpectedRevision(-1)).toThrow(RangeError);
    expect(() => toClientExpectedRevision(1.5)).toThrow(RangeError);
    expect(() => toClientExpectedRevision(Number.NaN)).toThrow(RangeError);
    expect(() => toClientExpectedRevision(2 ** 53)).toThrow(RangeError);
  });
});
