import type { StreamingRead } from '@eventstore/db-client';
import { ReadDeadlineExceededError } from './transient-failure';

/**
 * Reads records until `visit` returns false, the read ends, or `deadlineMs` passes (then
 * `ReadDeadlineExceededError`, which the adapter counts as transient). The client gives streaming reads no
 * deadline of their own (`deadline: Infinity`), so without this a read from a node that stopped answering
 * would wait for ever. The call is cancelled on every way out, so a late answer goes nowhere.
 */
export async function readWithDeadline<E>(
  read: StreamingRead<E>,
  what: string,
  deadlineMs: number,
  visit: (record: E) => boolean | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadDeadlineExceededError(what, deadlineMs)), deadlineMs);
  });
  const consume = async () => {
    for await (const record of read as AsyncIterable<E>) {
      if (visit(record) === false) return;
    }
  };
  const consuming = consume();
  try {
    await Promise.race([consuming, overrun]);
  } finally {
    clearTimeout(timer);
    await read.cancel().catch(() => undefined);
    // The client swallows its own cancellation, which would leave the iteration waiting: end it here.
    read.destroy();
    consuming.catch(() => undefined);
  }
}
