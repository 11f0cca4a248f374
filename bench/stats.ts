/** Pure statistics for the bench: percentiles, summaries, ratios and the slope of RSS against work done. */

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Nearest-rank percentile of `sorted` (ascending): the smallest value with at least `p` % of the samples at
 * or below it. Undefined for no samples.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (p <= 0) return sorted[0];
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1];
}

export function summarize(samples: ArrayLike<number>): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: percentile(sorted, 50) as number,
    p99: percentile(sorted, 99) as number,
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
  };
}

/** `value / ceiling`, undefined when either is missing or the ceiling is zero. */
export function ratio(value: number | undefined, ceiling: number | undefined): number | undefined {
  if (value === undefined || ceiling === undefined || ceiling === 0 || !Number.isFinite(value / ceiling)) {
    return undefined;
  }
  return value / ceiling;
}

/** Least-squares slope of y over x; undefined with fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number | undefined {
  if (points.length < 2) return undefined;
  let sx = 0;
  let sy = 0;
  for (const { x, y } of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / points.length;
  const my = sy / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const { x, y } of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  return sxx === 0 ? undefined : sxy / sxx;
}

/** Events (or requests) per second over a span of milliseconds. */
export function perSecond(count: number, elapsedMs: number): number | undefined {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : undefined;
}
