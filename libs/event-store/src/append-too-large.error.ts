/** The store refuses appends over its size limit (EventStoreDB's `MaxAppendSize`); retrying cannot help. */
export class AppendTooLargeError extends Error {
  override readonly name = 'AppendTooLargeError';

  constructor(
    readonly stream: string,
    /** The store's limit in bytes, when it said. */
    readonly maxAppendSize: number | undefined,
    options?: { cause: unknown },
  ) {
    super(
      `The append to ${stream} is larger than the event store accepts` +
        (maxAppendSize === undefined ? '' : ` (${maxAppendSize} bytes; EventStoreDB setting MaxAppendSize)`),
      options,
    );
  }
}
