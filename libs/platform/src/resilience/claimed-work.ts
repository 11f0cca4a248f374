import { backoffDelay } from './backoff';

/** A row a worker claimed (a due timer): how many claims it has had, this one included. */
export interface ClaimedWork {
  claims: number;
}

/** When claimed work that failed is claimed again: within 1 s after its first claim, doubling, at most a minute. */
export const retryAfterClaims = (now: Date, claims: number): Date =>
  new Date(now.getTime() + backoffDelay(claims, { initialMs: 1_000, maxMs: 60_000 }));

/**
 * Runs each claimed item in turn; one that throws does not stop the others: it is given to `failed` (to log it
 * and give it back for a later claim). Resolves with how many were claimed.
 */
export async function runClaimedWork<T extends ClaimedWork>(
  claimed: readonly T[],
  run: (item: T) => Promise<void>,
  failed: (item: T, error: unknown) => Promise<void>,
): Promise<number> {
  for (const item of claimed) {
    try {
      await run(item);
    } catch (error) {
      await failed(item, error);
    }
  }
  return claimed.length;
}
