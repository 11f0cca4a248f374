import { sleep } from '@lib/platform/resilience/backoff';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint } from '../event-store.port';
import { storedProjectionCheckpoint } from './projection-lag';

export interface WaitForCheckpointOptions {
  timeoutMs: number;
  pollMs?: number;
}

/**
 * Waits until a projection's stored checkpoint reaches `target` (or the timeout passes) and returns the
 * checkpoint it stands at. Reads the checkpoint table, so it works whichever process runs the projection.
 */
export async function waitForProjectionCheckpoint(
  db: SqlExecutor,
  projection: string,
  target: Checkpoint | undefined,
  { timeoutMs, pollMs = 10 }: WaitForCheckpointOptions,
): Promise<Checkpoint | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await storedProjectionCheckpoint(db, projection).catch(() => undefined);
    if (target === undefined || (current !== undefined && current >= target) || Date.now() >= deadline) {
      return current;
    }
    await sleep(Math.min(pollMs, Math.max(deadline - Date.now(), 1)));
  }
}
