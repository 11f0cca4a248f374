import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventStore } from '@lib/event-store/event-store.port';
import { perSecond, type Summary, summarize } from '../stats';
import { openBareStore, type Place } from '../stores';
import type { LifecycleTemplate } from './lifecycle';

export interface RawAppendFigures {
  /** Lifecycles' worth of appends per second: the storage ceiling of links/s. */
  lifecyclesPerSecond: number | undefined;
  appendsPerSecond: number | undefined;
  eventsPerSecond: number | undefined;
  appendLatencyMs: Summary | undefined;
  lifecycles: number;
}

/**
 * The storage ceiling: the appends one lifecycle made (same streams per lifecycle, same batches, same
 * payloads, each expecting the revision its stream's copy has reached), replayed with fresh stream names and event ids straight into a
 * bare store on the same kind of database, by N concurrent appenders, in each appender's order.
 */
export async function measureRawAppends(
  place: Place,
  template: LifecycleTemplate,
  options: { clients: number; warmupMs: number; durationMs: number },
): Promise<RawAppendFigures> {
  const { sql, store } = await openBareStore(place);
  try {
    let next = 0;
    await replay(store, template, options.clients, options.warmupMs, () => next++);
    const measured = await replay(store, template, options.clients, options.durationMs, () => next++);
    return {
      lifecyclesPerSecond: perSecond(measured.lifecycles, measured.elapsedMs),
      appendsPerSecond: perSecond(measured.latencies.length, measured.elapsedMs),
      eventsPerSecond: perSecond(measured.lifecycles * template.events, measured.elapsedMs),
      appendLatencyMs: summarize(measured.latencies),
      lifecycles: measured.lifecycles,
    };
  } finally {
    await store.close();
    await sql.close();
  }
}

async function replay(
  store: EventStore,
  template: LifecycleTemplate,
  clients: number,
  durationMs: number,
  nextLifecycle: () => number,
): Promise<{ lifecycles: number; latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let lifecycles = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const suffix = `-raw${nextLifecycle()}`;
        // Each copy's streams are new: their revisions count from the template's first append to each (a stream
        // the lifecycle found already written, such as a device's of an earlier link, starts at 0 here too).
        const revisions = new Map<number, number>();
        for (const append of template.appends) {
          const events = append.events.map((event) => ({ ...event, id: randomUUID() }));
          const written = revisions.get(append.stream) ?? 0;
          const expected = written === 0 ? 'no_stream' : written - 1;
          const at = performance.now();
          await store.appendToStream(`${template.streams[append.stream]}${suffix}`, events, expected);
          latencies.push(performance.now() - at);
          revisions.set(append.stream, written + events.length);
        }
        lifecycles += 1;
      }
    }),
  );
  return { lifecycles, latencies, elapsedMs: performance.now() - started };
}
