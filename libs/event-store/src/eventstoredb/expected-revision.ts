import { ANY, type AppendExpectedRevision, NO_STREAM } from '@eventstore/db-client';
import type { ExpectedRevision } from '../event-store.port';

/** The port's expectation in the client's terms; `stream_exists` has no counterpart in the port. */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
      }
      return BigInt(expected);
  }
}
