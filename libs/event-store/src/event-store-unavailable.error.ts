/**
 * The store kept failing transiently (a leader election, a node down, a deadline) until the adapter's retry bound.
 * An append that ends here may have been written: re-appending the same event ids at the same exact expectation
 * (or `no_stream`) is answered idempotently, so nothing is written twice.
 */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';

  constructor(
    /** What was being done, e.g. `append to link-1`. */
    readonly operation: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(
      `The event store did not complete the ${operation} after ${attempts} attempts; last failure: ${describe(options.cause)}`,
      options,
    );
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
