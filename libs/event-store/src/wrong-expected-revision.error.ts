import type { ExpectedRevision } from './event-store.port';

/** An append's expectation did not hold: somebody else wrote first. The only error a command retries. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Last revision actually in the stream, or `no_stream`. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Wrong expected revision on stream ${stream}: expected ${expected}, actual ${actual}`);
  }
}
