import {
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';
import { EventStoreUnavailableError } from '../event-store-unavailable.error';

/** How the adapter retries a call that failed transiently; the same for appends and reads. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Five attempts, 100 ms doubling to 2 s (with jitter) between them: about 4 s of waiting in all, enough for a
 * leader election (usually well under a second) to finish, short enough for a caller's request to still matter.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 2_000 };

/** A read that overran the adapter's deadline: the client sets none on streaming reads, so the adapter does. */
export class ReadDeadlineExceededError extends Error {
  override readonly name = 'ReadDeadlineExceededError';

  constructor(what: string, deadlineMs: number) {
    super(`EventStoreDB did not finish the ${what} within ${deadlineMs} ms`);
  }
}

/** The client's error while it finds no node to talk to (gossip during an election, every seed down). */
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts/;

/**
 * Failures that say nothing about the request itself, only that the cluster could not answer it now: worth the
 * same request again. A deadline, a server timeout (ABORTED) or a dropped connection may hide a write that
 * landed; retrying with the same event ids and expectation is what lets the server's idempotence answer it.
 */
export function isTransientFailure(failure: unknown): boolean {
  // A few calls (the server's features among them) reject with the raw gRPC error: classify it as the client would.
  const error = typeof failure === 'object' && failure !== null ? convertToCommandError(failure as Error) : failure;
  return (
    error instanceof NotLeaderError ||
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof ReadDeadlineExceededError ||
    (error instanceof Error && DISCOVERY_FAILED.test(error.message))
  );
}

/**
 * Runs `attempt` until it succeeds, fails for good (rethrown as it is), or has failed transiently
 * `maxAttempts` times (then `EventStoreUnavailableError`, with the last failure as its cause). After a
 * `NotLeaderError` the client has already pointed itself at the leader the node named, so the next attempt
 * goes there.
 */
export async function retryTransient<T>(
  operation: string,
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!isTransientFailure(error)) throw error;
      if (attemptNumber >= policy.maxAttempts) {
        throw new EventStoreUnavailableError(operation, attemptNumber, { cause: error });
      }
      await sleep(backoffDelay(attemptNumber, { initialMs: policy.initialBackoffMs, maxMs: policy.maxBackoffMs }));
    }
  }
}
