import type { AllFilter, Checkpoint, ReadAllResult } from '../event-store.port';
import { matchesFilter } from './all-filter';
import type { PollingSource } from './polling-subscription';

/** Reads a page of the whole log, unfiltered: what every subscriber of a process shares. */
export type ReadLogPage = (from: Checkpoint | undefined, limit: number) => Promise<ReadAllResult>;

/** Registers the one wake-up call of a process for new appends (a LISTEN on the server). */
export type ListenForAppends = (wake: () => void) => Promise<() => Promise<void>>;

interface Page {
  startedAt: number;
  result: Promise<ReadAllResult>;
}

/** Pages kept between wake-ups: subscribers a page or two apart still share; old ones go first. */
const MAX_PAGES = 16;

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
 */
export class SharedLogReader {
  private readonly pages = new Map<string, Page>();
  private readonly wakers = new Set<() => void>();
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;
  /** A page older than this is read again: a poll after a missed wake-up must see what was appended meanwhile. */
  private readonly maxAgeMs: number;

  constructor(
    private readonly readPage: ReadLogPage,
    private readonly listen: ListenForAppends,
    private readonly pollIntervalMs: number,
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
    const page = await this.page(from, limit);
    if (!filter) return page;
    return { ...page, events: page.events.filter((event) => matchesFilter(event, filter)) };
  }

  private page(from: Checkpoint | undefined, limit: number): Promise<ReadAllResult> {
    const key = `${from ?? ''}|${limit}`;
    const kept = this.pages.get(key);
    const now = Date.now();
    if (kept && now - kept.startedAt < this.maxAgeMs) return kept.result;
    const result = this.readPage(from, limit);
    this.pages.delete(key);
    this.pages.set(key, { startedAt: now, result });
    // A failed read is not kept: the next ask reads again.
    result.catch(() => {
      if (this.pages.get(key)?.result === result) this.pages.delete(key);
    });
    if (this.pages.size > MAX_PAGES) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    return result;
  }

  /** Called for every append this process hears of, before any subscription is woken. */
  private appended(): void {
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
