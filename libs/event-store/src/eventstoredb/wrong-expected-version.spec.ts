import { StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';
import { toActualRevision, toWrongExpectedRevisionError } from './wrong-expected-version';

describe("the client's wrong-expected-version error as the port's conflict", () => {
  it('carries the stream, what the caller expected and the revision actually there', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'link-1',
      expected: 1n,
      current: 2n,
    });

    const conflict = toWrongExpectedRevisionError(clientError, 'link-1', 1);

    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict).toMatchObject({ stream: 'link-1', expected: 1, actual: 2 });
  });

  it('says no_stream when the stream the caller expected at a revision does not exist', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'link-2',
      expected: 0n,
      current: 'no_stream',
    });
    expect(toWrongExpectedRevisionError(clientError, 'link-2', 0)).toMatchObject({
      expected: 0,
      actual: 'no_stream',
    });
  });

  it("keeps the caller's own expectation (no_stream, any) rather than the client's spelling", () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'guard-1',
      expected: 'no_stream',
      current: 0n,
    });
    expect(toWrongExpectedRevisionError(clientError, 'guard-1', 'no_stream')).toMatchObject({
      expected: 'no_stream',
      actual: 0,
    });
  });

  it('leaves every other error alone, so it propagates unchanged', () => {
    expect(toWrongExpectedRevisionError(new StreamNotFoundError(undefined, 'x'), 'x', 0)).toBeUndefined();
    expect(toWrongExpectedRevisionError(new Error('unavailable'), 'x', 0)).toBeUndefined();
    expect(toWrongExpectedRevisionError({ type: 'wrong-expected-version' }, 'x', 0)).toBeUndefined();
  });

  it('reads a negative current revision as a missing stream', () => {
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision('no_stream')).toBe('no_stream');
    expect(toActualRevision(7n)).toBe(7);
  });
});
