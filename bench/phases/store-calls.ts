import { performance } from 'node:perf_hooks';
import type { EventStore } from '@lib/event-store/event-store.port';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';

/** The service's stream reads and appends of one kind of stream over a run. */
export interface StreamKindCalls {
  reads: number;
  eventsRead: number;
  appends: number;
  eventsAppended: number;
  /** Appends refused for a wrong expected revision: each is a read, a decision and an append done again. */
  conflicts: number;
  /** Time inside the calls, summed (concurrent calls overlap): where the store's time went, roughly. */
  readMs: number;
  appendMs: number;
}

/** `actor-device`, `actor-customer`, `actor-ip_address`, `bank-account` (the guards), `link`, `bank-inbox`, … */
export function streamKindOf(stream: string): string {
  const actor = /^actor-([a-z_]+)-/.exec(stream);
  if (actor) return `actor-${actor[1]}`;
  for (const prefix of ['bank-account-', 'bank-inbox-']) if (stream.startsWith(prefix)) return prefix.slice(0, -1);
  const dash = stream.indexOf('-');
  return dash > 0 ? stream.slice(0, dash) : stream;
}

export function addCalls(into: StreamKindCalls, from: StreamKindCalls): StreamKindCalls {
  for (const name of Object.keys(into) as (keyof StreamKindCalls)[]) into[name] += from[name];
  return into;
}

const noCalls = (): StreamKindCalls => ({
  reads: 0,
  eventsRead: 0,
  appends: 0,
  eventsAppended: 0,
  conflicts: 0,
  readMs: 0,
  appendMs: 0,
});

/**
 * Counts the service's `readStream` (and each stream of a `readStreams`) and `appendToStream` calls by stream
 * kind, by wrapping them on the one event store instance the service's handlers and process managers share (the
 * bench's own reads go to SQL).
 * `take()` returns what was counted since the last take; `stop()` puts the store's own methods back.
 */
export class StoreCallCounter {
  private calls = new Map<string, StreamKindCalls>();
  private readonly restore: () => void;

  constructor(store: EventStore) {
    const read = store.readStream;
    const readMany = store.readStreams;
    const append = store.appendToStream;
    const callsOf = (stream: string) => {
      const kind = streamKindOf(stream);
      let entry = this.calls.get(kind);
      if (!entry) {
        entry = noCalls();
        this.calls.set(kind, entry);
      }
      return entry;
    };
    store.readStream = async (stream, options) => {
      const started = performance.now();
      const events = await read.call(store, stream, options);
      const entry = callsOf(stream);
      entry.reads++;
      entry.eventsRead += events.length;
      entry.readMs += performance.now() - started;
      return events;
    };
    // Several streams in one read (one statement): each counts as a read of its kind, the call's time shared.
    store.readStreams = async (streams) => {
      const started = performance.now();
      const results = await readMany.call(store, streams);
      const share = (performance.now() - started) / Math.max(streams.length, 1);
      for (const [index, stream] of streams.entries()) {
        const entry = callsOf(stream);
        entry.reads++;
        entry.eventsRead += results[index]?.length ?? 0;
        entry.readMs += share;
      }
      return results;
    };
    store.appendToStream = async (stream, events, expected) => {
      const started = performance.now();
      const entry = callsOf(stream);
      try {
        const result = await append.call(store, stream, events, expected);
        entry.appends++;
        entry.eventsAppended += events.length;
        return result;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) entry.conflicts++;
        throw error;
      } finally {
        entry.appendMs += performance.now() - started;
      }
    };
    this.restore = () => {
      store.readStream = read;
      store.readStreams = readMany;
      store.appendToStream = append;
    };
  }

  /** What was counted since the last take, by stream kind (ms rounded), with `all` the sum. */
  take(): Record<string, StreamKindCalls> {
    const taken = [...this.calls].sort(([a], [b]) => a.localeCompare(b));
    this.calls = new Map();
    const all = taken.reduce((sum, [, calls]) => addCalls(sum, calls), noCalls());
    const rounded = (calls: StreamKindCalls): StreamKindCalls => ({
      ...calls,
      readMs: Math.round(calls.readMs),
      appendMs: Math.round(calls.appendMs),
    });
    return Object.fromEntries([...taken, ['all', all] as const].map(([kind, calls]) => [kind, rounded(calls)]));
  }

  stop(): void {
    this.restore();
  }
}

/** The streams read on the store while it records, in order: `calls` one entry a call (a `readStreams`, several). */
export class StreamReadRecorder {
  readonly calls: (readonly string[])[] = [];
  private readonly restore: () => void;

  constructor(store: EventStore) {
    const read = store.readStream;
    const readMany = store.readStreams;
    store.readStream = (stream, options) => {
      this.calls.push([stream]);
      return read.call(store, stream, options);
    };
    store.readStreams = (streams) => {
      this.calls.push([...streams]);
      return readMany.call(store, streams);
    };
    this.restore = () => {
      store.readStream = read;
      store.readStreams = readMany;
    };
  }

  /** Every stream read, in order. */
  get reads(): string[] {
    return this.calls.flat();
  }

  stop(): void {
    this.restore();
  }
}
