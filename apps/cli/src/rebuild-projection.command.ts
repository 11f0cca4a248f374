import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';
import type { AdminClient } from './admin-client';
import { renderProgress } from './progress-bar';

export interface RebuildCommandIo {
  /** Where the progress bar is drawn (a terminal redraws the line). */
  progress: (line: string, final: boolean) => void;
  sleep: (ms: number) => Promise<void>;
  pollMs?: number;
}

/**
 * `rebuild <projection>`: starts a blue/green rebuild of a read model on the running service (`all`: every read
 * model in one pass over the log) and draws its progress (events/s, ETA) until it is swapped in. Resolves with
 * the last report; rejects on failure.
 */
export async function rebuildProjection(
  client: AdminClient,
  projection: string,
  io: RebuildCommandIo,
): Promise<RebuildProgress> {
  let progress = await client.startRebuild(projection);
  io.progress(renderProgress(progress), false);
  while (progress.phase !== 'done' && progress.phase !== 'failed') {
    await io.sleep(io.pollMs ?? 500);
    progress = await client.rebuildProgress(projection);
    io.progress(renderProgress(progress), progress.phase === 'done' || progress.phase === 'failed');
  }
  if (progress.phase === 'failed') throw new Error(`Rebuild of ${projection} failed: ${progress.error ?? 'unknown'}`);
  return progress;
}
