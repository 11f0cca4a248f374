import type { AllFilter, Checkpoint, ReadAllResult, RecordedEvent } from '../event-store.port';
import { matchesFilter } from './all-filter';
import type { PollingSource } from './polling-subscription';

/** Reads a page of the whole log, unfiltered: what every subscriber of a process shares. */
export type ReadLogPage = (from: Checkpoint | undefined, limit: number) => Promise<ReadAllResult>;

/** Registers the one wake-up call of a process for new appends (a LISTEN on the server). */
export type ListenForAppends = (wake: () => void) => Promise<() => Promise<void>>;

interface Page {
  startedAt: number;
  /** The wake-up generation when the read started: a later append may be missing from it. */
  generation: number;
  result: Promise<ReadAllResult>;
}

/**
 * The latest events of the log, unfiltered: every event after `start` up to `end`, in order. Subscribers anywhere in
 * it are served from it, and one read from `end` extends it for all of them after an append.
 */
interface Tail {
  start: Checkpoint | undefined;
  events: RecordedEvent[];
  end: Checkpoint | undefined;
  /** The read that last extended it reached the end of what was visible then. */
  atHead: boolean;
  /** The wake-up generation and the time when that read started. */
  generation: number;
  readAt: number;
}

/** Pages kept between wake-ups: subscribers a page or two apart still share; old ones go first. */
const MAX_PAGES = 16;
/** How many events one read that extends the tail asks for. */
const TAIL_READ = 500;
/** The tail keeps at most this many events (then the older half goes); a subscriber behind it reads pages. */
const MAX_TAIL = 4_000;
/**
 * Reads that extend the tail start at least this far apart: the appends of a busy moment cost one read for all
 * of them, not one each (an append waits at most this long more to be seen).
 */
export const TAIL_READ_INTERVAL_MS = 10;

/** True when `a` is past `b` in the log (undefined: before the first event). */
function isAfter(a: Checkpoint | undefined, b: Checkpoint | undefined): boolean {
  return a !== undefined && (b === undefined || a > b);
}

/** The index of the first event past `from`. */
function firstAfter(events: readonly RecordedEvent[], from: Checkpoint | undefined): number {
  if (from === undefined) return 0;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((events[middle] as RecordedEvent).checkpoint > from) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * One reader of the log for every subscription of a process (every projection and process manager): the
 * subscriptions follow the log at their own pace from their own checkpoints, but a page they ask for at the
 * same checkpoint is read once and each applies its own filter to it. Subscribers woken by the same append
 * ask for the same page, so N projections cost one read of it instead of N.
 *
 * A page is shared only until the next wake-up: every NOTIFY of an append forgets every page (in flight or read)
 * before any subscription hears of it, so a subscription that was woken never gets a page read before the
 * wake-up; it reads the log again and sees the append. A page is also shared for at most a quarter of a second (and half
 * the poll interval), so a subscription that polls after a missed wake-up reads afresh. What is shared is what
 * one read at that moment would have given (the store's gap-free horizon included), so sharing changes what is
 * read, never what is seen. One LISTEN for the process, not one per subscription.
 *
 * Near the head, subscriptions are seldom at the same checkpoint (each commits its batches at its own pace), so the
 * reader also keeps the log's latest events (the tail): a subscription whose checkpoint is in it is served from it,
 * and when it asks past the tail's end after a wake-up, one read from that end (shared by all who ask meanwhile)
 * extends it. The store's reads are gap-free (what a read returns never gains an event before its end later), so
 * the tail followed by that read is what one read from anywhere in it would give. Each append then costs one read
 * of the new events for the whole process, wherever its subscriptions stand, and at the head these reads start at
 * least `TAIL_READ_INTERVAL_MS` apart, so that a busy moment's appends cost one read together.
 */
export class SharedLogReader {
  private readonly pages = new Map<string, Page>();
  private tail: Tail | undefined;
  private extending: Promise<void> | undefined;
  /** Moves on at every wake-up: a read started in an older generation may lack an append. */
  private generation = 0;
  private readonly wakers = new Set<() => void>();
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;
  /** A page older than this is read again: a poll after a missed wake-up must see what was appended meanwhile. */
  private readonly maxAgeMs: number;

  /** When the last read that extended the tail started. */
  private lastExtensionAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly readPage: ReadLogPage,
    private readonly listen: ListenForAppends,
    private readonly pollIntervalMs: number,
    private readonly tailReadIntervalMs = TAIL_READ_INTERVAL_MS,
  ) {
    this.maxAgeMs = Math.min(250, pollIntervalMs / 2);
  }

  /** A source for one subscription. */
  source(): PollingSource {
    return {
      readAll: (from, limit, filter) => this.readAll(from, limit, filter),
      onAppended: (wake) => this.onAppended(wake),
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  async readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult> {
    const page = (await this.fromTail(from, limit)) ?? (await this.readAndKeep(from, limit));
    if (!filter) return page;
    return { ...page, events: page.events.filter((event) => matchesFilter(event, filter)) };
  }

  /** What a read from `from` gives, out of the tail (extended when needed); undefined when `from` is not in it. */
  private async fromTail(from: Checkpoint | undefined, limit: number): Promise<ReadAllResult | undefined> {
    for (;;) {
      const tail = this.tail;
      if (!tail || isAfter(tail.start, from) || isAfter(from, tail.end)) return undefined;
      const first = firstAfter(tail.events, from);
      const events = tail.events.slice(first, first + limit);
      const checkpoint = events.at(-1)?.checkpoint ?? from;
      if (events.length === limit) return { events, checkpoint, isEnd: false };
      const fresh = tail.generation === this.generation && Date.now() - tail.readAt < this.maxAgeMs;
      if (tail.atHead && fresh) return { events, checkpoint, isEnd: true };
      // Something may have been appended past the tail: hand over what it has (the next ask extends it), or extend now.
      if (events.length > 0) return { events, checkpoint, isEnd: false };
      await this.extend(tail);
    }
  }

  private extend(tail: Tail): Promise<void> {
    // One extension at a time; who finds one in flight waits for it and looks again (it may be of an older generation).
    if (this.extending) return this.extending;
    // At the head, the next read waits out the interval; behind it (the last read was a full one), it reads at once.
    const wait = tail.atHead ? this.lastExtensionAt + this.tailReadIntervalMs - Date.now() : 0;
    const extending = (wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve())
      .then(() => this.extendNow(tail))
      .finally(() => {
        this.extending = undefined;
      });
    this.extending = extending;
    return extending;
  }

  private extendNow(tail: Tail): Promise<void> {
    // The generation as the read starts: an append heard of after this may be missing from it.
    const generation = this.generation;
    const readAt = Date.now();
    this.lastExtensionAt = readAt;
    return this.readPage(tail.end, TAIL_READ).then((result) => {
      if (this.tail !== tail) return;
      tail.events.push(...result.events);
      tail.end = result.checkpoint;
      tail.atHead = result.isEnd;
      tail.generation = generation;
      tail.readAt = readAt;
      if (tail.events.length > MAX_TAIL) {
        const dropped = tail.events.splice(0, tail.events.length - MAX_TAIL / 2);
        tail.start = dropped.at(-1)?.checkpoint ?? tail.start;
      }
    });
  }

  /** A page read (or shared) outside the tail; one that reaches the end starts a new tail when none covers it. */
  private async readAndKeep(from: Checkpoint | undefined, limit: number): Promise<ReadAllResult> {
    const page = this.page(from, limit);
    const result = await page.result;
    const tail = this.tail;
    if (result.isEnd && (!tail || isAfter(from, tail.end))) {
      this.tail = {
        start: from,
        events: [...result.events],
        end: result.checkpoint,
        atHead: true,
        generation: page.generation,
        readAt: page.startedAt,
      };
    }
    return result;
  }

  private page(from: Checkpoint | undefined, limit: number): Page {
    const key = `${from ?? ''}|${limit}`;
    const kept = this.pages.get(key);
    const now = Date.now();
    if (kept && now - kept.startedAt < this.maxAgeMs) return kept;
    const result = this.readPage(from, limit);
    const page = { startedAt: now, generation: this.generation, result };
    this.pages.delete(key);
    this.pages.set(key, page);
    // A failed read is not kept: the next ask reads again.
    result.catch(() => {
      if (this.pages.get(key)?.result === result) this.pages.delete(key);
    });
    if (this.pages.size > MAX_PAGES) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    return page;
  }

  /** Called for every append this process hears of, before any subscription is woken. */
  private appended(): void {
    this.generation += 1;
    this.pages.clear();
    for (const wake of this.wakers) wake();
  }

  private async onAppended(wake: () => void): Promise<() => Promise<void>> {
    this.wakers.add(wake);
    this.listening ??= this.listen(() => this.appended()).catch(() => {
      // Polling still runs; the next subscription tries to listen again.
      this.listening = undefined;
      return undefined;
    });
    await this.listening;
    return async () => {
      this.wakers.delete(wake);
      if (this.wakers.size > 0 || !this.listening) return;
      const listening = this.listening;
      this.listening = undefined;
      const unlisten = await listening;
      await unlisten?.().catch(() => undefined);
    };
  }
}
