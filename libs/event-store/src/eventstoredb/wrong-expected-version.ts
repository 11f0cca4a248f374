import { type CurrentRevision, WrongExpectedVersionError } from '@eventstore/db-client';
import type { ExpectedRevision } from '../event-store.port';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';

/** The client reports a missing stream as `no_stream`. */
export function toActualRevision(current: CurrentRevision): number | 'no_stream' {
  return current === 'no_stream' || current < 0n ? 'no_stream' : Number(current);
}

/** The port's conflict error for the client's, or `undefined` when `error` is anything else. */
export function toWrongExpectedRevisionError(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError | undefined {
  if (!(error instanceof WrongExpectedVersionError)) return undefined;
  return new WrongExpectedRevisionError(stream, expected, toActualRevision(error.actualVersion));
}
