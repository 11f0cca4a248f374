import { slope } from './stats';

export interface RssSample {
  /** ms since the sampling started */
  at: number;
  rssMb: number;
  /** Work done so far: events appended or applied, links driven. */
  done: number;
}

export interface RssFigures {
  startMb: number;
  peakMb: number;
  endMb: number;
  /** MB of RSS per `per` units of work, fitted over the samples from `steadyFrom` on (a share of them). */
  slopeMb: number | undefined;
  per: number;
  unit: string;
  samples: number;
  /** At most 100 of the samples, evenly spread, for a plot. */
  series: RssSample[];
}

/** Start, peak, end and the steady-state slope of RSS against work done. */
export function rssFigures(
  samples: readonly RssSample[],
  per: number,
  unit: string,
  steadyFrom = 0.5,
): RssFigures | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return undefined;
  const steady = samples.slice(Math.floor(samples.length * steadyFrom));
  const fitted = slope(steady.map((sample) => ({ x: sample.done, y: sample.rssMb })));
  return {
    startMb: first.rssMb,
    peakMb: Math.max(...samples.map((sample) => sample.rssMb)),
    endMb: last.rssMb,
    slopeMb: fitted === undefined ? undefined : fitted * per,
    per,
    unit,
    samples: samples.length,
    series: spread(samples, 100).map((sample) => ({ ...sample, rssMb: Math.round(sample.rssMb * 10) / 10 })),
  };
}

/** At most `count` items of `items`, evenly spread, first and last included. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}

/**
 * Samples the process's RSS (the service, the load thread and PGlite's memory alike) every `intervalMs`.
 * Work that keeps the event loop in microtasks (PGlite answers without a macrotask in between) starves the
 * timer: such loops call `tick()` as they go.
 */
export class RssSampler {
  private readonly samples: RssSample[] = [];
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;
  private last = 0;

  constructor(
    private readonly done: () => number,
    private readonly intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Samples unless the last sample is younger than the interval. */
  tick(): void {
    if (Date.now() - this.last >= this.intervalMs) this.sample();
  }

  /** `steadyFrom`: the share of the samples (the first ones, while caches fill) the slope leaves out. */
  stop(per: number, unit: string, steadyFrom = 0.5): RssFigures | undefined {
    clearInterval(this.timer);
    this.sample();
    return rssFigures(this.samples, per, unit, steadyFrom);
  }

  private sample(): void {
    this.last = Date.now();
    this.samples.push({
      at: Date.now() - this.started,
      rssMb: process.memoryUsage.rss() / 2 ** 20,
      done: this.done(),
    });
  }
}
