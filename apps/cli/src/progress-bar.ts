import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';

const WIDTH = 30;

const seconds = (total: number) =>
  total >= 3600
    ? `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`
    : total >= 60
      ? `${Math.floor(total / 60)}m${String(Math.round(total % 60)).padStart(2, '0')}s`
      : `${Math.round(total)}s`;

/**
 * One line: `links [##########----------]  50%  12,345 events  3,210 events/s  ETA 4s  copying` (`all 6 read models`
 * for a pass over every one).
 */
export function renderProgress(progress: RebuildProgress): string {
  const fraction = progress.phase === 'done' ? 1 : progress.fraction;
  const bar =
    fraction === undefined
      ? `[${'?'.repeat(WIDTH)}]`
      : `[${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '-')}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
  const parts = [
    `${progress.readModels ? `all ${progress.readModels.length} read models` : progress.projection} ${bar}`,
    `${progress.eventsApplied.toLocaleString('en-US')} events`,
    `${progress.eventsPerSecond.toLocaleString('en-US')} events/s`,
  ];
  if (progress.etaSeconds !== undefined && progress.phase !== 'done') parts.push(`ETA ${seconds(progress.etaSeconds)}`);
  parts.push(progress.phase === 'failed' ? `failed: ${progress.error ?? 'unknown error'}` : progress.phase);
  return parts.join('  ');
}
