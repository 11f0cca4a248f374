import { performance } from 'node:perf_hooks';
import { toCheckpoint } from '@lib/event-store/postgres/checkpoint';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { type Summary, summarize } from '../stats';

/** The recorder's poll: the service's statement counts leave it out. */
export const LAG_POLL = 'SELECT projection, checkpoint FROM es_projection_checkpoints';

interface Seen {
  /** Wall-clock ms when the poll saw the checkpoint. */
  at: number;
  checkpoint: string;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first time in `timeline` (checkpoints never go back) a checkpoint at or past `target` was seen. */
export function firstSeenAtOrPast(timeline: readonly Seen[], target: string): number | undefined {
  let low = 0;
  let high = timeline.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((timeline[middle] as Seen).checkpoint >= target) high = middle;
    else low = middle + 1;
  }
  return timeline[low]?.at;
}

/**
 * Projection lag under load, for every event appended while it records: `es_projection_checkpoints` is
 * polled every `pollMs` (every projection: read models and process managers alike) and each checkpoint
 * move kept with the time it was seen. Afterwards an event's lag for a projection is from its append
 * (`recorded_at`, the store's clock, in milliseconds) to the first poll that saw the projection's
 * checkpoint at or past the event's. Too long by up to `pollMs`; on PGlite the poll also waits its turn in
 * the one database queue, as every reader there does.
 */
export class ProjectionLagRecorder {
  private readonly timelines = new Map<string, Seen[]>();
  private recording = true;
  private loop: Promise<void> | undefined;
  /** Global position the furthest projection stands at: the RSS sampler's x axis. */
  position = 0;
  /** Round trips of the polls, ms: the resolution of the lags measured. */
  readonly pollRoundTrips: number[] = [];

  constructor(
    private readonly sql: SqlClient,
    private readonly pollMs: number,
  ) {}

  /**
   * `inFlight`: polls started every `pollMs` without waiting for the last one's answer, up to this many
   * at once. On PGlite, where each poll waits in the one queue behind the service's statements, that keeps
   * the time between two polls' executions near `pollMs`; on the server the polls use a pool of their own.
   */
  async start(inFlight = 1): Promise<void> {
    await this.poll();
    this.loop = (async () => {
      const polls = new Set<Promise<void>>();
      while (this.recording) {
        await sleep(this.pollMs);
        if (polls.size >= inFlight) await Promise.race(polls);
        const poll: Promise<void> = this.poll().finally(() => polls.delete(poll));
        polls.add(poll);
      }
      await Promise.all(polls);
    })();
  }

  /**
   * Polls on until every projection has gone past the events appended after `fromPosition` (or `drainMs`
   * passes), then returns the lag of those events for each projection.
   */
  async stop(fromPosition: number, drainMs = 30_000): Promise<Record<string, Summary | undefined>> {
    const [head] = await this.sql.query<{ txid: string; position: string }>(
      'SELECT transaction_id::text AS txid, global_position::text AS position FROM es_events ORDER BY global_position DESC LIMIT 1',
    );
    const end = head ? toCheckpoint(head.txid, head.position) : '';
    const deadline = now() + drainMs;
    while (
      now() < deadline &&
      [...this.timelines.values()].some((timeline) => (timeline.at(-1)?.checkpoint ?? '') < end)
    ) {
      await sleep(this.pollMs);
    }
    this.recording = false;
    await this.loop;

    const events = await this.sql.query<{ txid: string; position: string; recorded_at: Date | string }>(
      `SELECT transaction_id::text AS txid, global_position::text AS position, recorded_at FROM es_events
        WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position`,
      [fromPosition, head?.position ?? fromPosition],
    );
    const lags = new Map<string, number[]>([...this.timelines.keys()].map((projection) => [projection, []]));
    for (const event of events) {
      const target = toCheckpoint(event.txid, event.position);
      const appendedAt = new Date(event.recorded_at).getTime();
      for (const [projection, timeline] of this.timelines) {
        const seenAt = firstSeenAtOrPast(timeline, target);
        if (seenAt !== undefined) lags.get(projection)?.push(Math.max(seenAt - appendedAt, 0));
      }
    }
    return Object.fromEntries([...lags].sort().map(([projection, values]) => [projection, summarize(values)]));
  }

  private async poll(): Promise<void> {
    const started = now();
    const rows = await this.sql.query<{ projection: string; checkpoint: string | null }>(LAG_POLL);
    const at = now();
    this.pollRoundTrips.push(at - started);
    for (const { projection, checkpoint } of rows) {
      if (checkpoint === null) continue;
      const timeline = this.timelines.get(projection) ?? [];
      this.timelines.set(projection, timeline);
      // Polls in flight together may answer out of order: a checkpoint never goes back, so an older one is stale.
      if (checkpoint > (timeline.at(-1)?.checkpoint ?? '')) timeline.push({ at, checkpoint });
      this.position = Math.max(this.position, Number(checkpoint.slice(checkpoint.indexOf(':') + 1)));
    }
  }
}
