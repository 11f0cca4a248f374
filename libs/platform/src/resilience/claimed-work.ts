import { backoffDelay } from './backoff';

/** A row a worker claimed (a due timer): how many claims it has had, this one included. */
export interface ClaimedWork {
  claims: number;
}

/** When claimed work that failed is claimed again: within 1 s after its first claim, doubling, at most a minute. */
export const retryAfterClaims = (now: Date, claims: number): Date =>
  new Date(now.getTime() + backoffDelay(claims, { initialMs: 1_000, maxMs: 60_000 }));

/**
 * Runs each claimed item, `concurrency` at a time (default 1: in turn, in claim order); one that throws does not
 * stop the others: it is given to `failed` (to log it and give it back for a later claim). Resolves with how many
 * were claimed, once every item is done.
 */
export async function runClaimedWork<T extends ClaimedWork>(
  claimed: readonly T[],
  run: (item: T) => Promise<void>,
  failed: (item: T, error: unknown) => Promise<void>,
  concurrency = 1,
): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const item = claimed[next++] as T;
      try {
        await run(item);
      } catch (error) {
        await failed(item, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, claimed.length)) }, lane));
  return claimed.length;
}

/** How much work one poll takes, and for how long it holds it. */
export interface ClaimLease {
  claimTtlMs: number;
  batchSize: number;
  /** Items of one claim run at once (default 1). Only for work whose items never touch the same stream. */
  concurrency?: number;
}

/**
 * One poll of durable work: claims what is due now (held for the lease) and runs each item as `runClaimedWork`
 * does. Resolves with how many were claimed.
 */
export async function claimAndRun<T extends ClaimedWork>(
  now: Date,
  lease: ClaimLease,
  claim: (now: Date, claimedUntil: Date, limit: number) => Promise<T[]>,
  run: (item: T) => Promise<void>,
  failed: (item: T, error: unknown) => Promise<void>,
): Promise<number> {
  const claimed = await claim(now, new Date(now.getTime() + lease.claimTtlMs), lease.batchSize);
  return runClaimedWork(claimed, run, failed, lease.concurrency);
}

/**
 * The usual answer to claimed work that threw: log what it was (never the error's message: it may hold data),
 * and give it back for a claim after `retryAfterClaims`.
 */
export const retryLater =
  <T extends ClaimedWork>(
    logger: { error(message: string): void },
    now: () => Date,
    describe: (item: T) => string,
    release: (item: T, retryAt: Date) => Promise<void>,
  ) =>
  async (item: T, error: unknown): Promise<void> => {
    logger.error(`${describe(item)}: ${error instanceof Error ? error.name : 'unknown error'}; it is retried`);
    await release(item, retryAfterClaims(now(), item.claims)).catch(() => undefined);
  };
