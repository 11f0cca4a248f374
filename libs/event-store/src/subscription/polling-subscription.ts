import type { AllFilter, Checkpoint, ReadAllResult, SubscribeToAllOptions, Subscription } from '../event-store.port';
import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';

export interface PollingSource {
  readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult>;
  /** Registers a wake-up call for new appends; polling still runs when this fails or is missed. */
  onAppended(wake: () => void): Promise<() => Promise<void>>;
  pollIntervalMs: number;
}

/**
 * Catch-up then live subscription over a store that can only be read: reads batches from the checkpoint,
 * hands each to the handler, and when it reaches the end waits for a NOTIFY or the poll interval.
 * Any failure (read or handler) leaves the checkpoint where it was and retries with backoff, forever.
 */
export class PollingSubscription implements Subscription {
  private current: Checkpoint | undefined;
  private readonly stopping = new AbortController();
  private readonly done: Promise<void>;
  private resolveCaughtUp!: () => void;
  readonly caughtUp = new Promise<void>((resolve) => {
    this.resolveCaughtUp = resolve;
  });
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly source: PollingSource,
    private readonly options: SubscribeToAllOptions,
  ) {
    this.current = options.from;
    this.done = this.run();
  }

  get checkpoint(): Checkpoint | undefined {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const unlisten = await this.source
      .onAppended(() => {
        this.woken = true;
        this.wakeUp?.();
      })
      .catch(() => undefined);
    const batchSize = this.options.batchSize ?? 500;
    let attempt = 0;
    let live = false;
    try {
      while (!this.stopping.signal.aborted) {
        try {
          this.woken = false;
          const batch = await this.source.readAll(this.current, batchSize, this.options.filter);
          if (this.stopping.signal.aborted) break;
          if (batch.events.length > 0 || batch.checkpoint !== this.current) {
            await this.options.onEvents(batch.events, batch.checkpoint);
          }
          this.current = batch.checkpoint;
          attempt = 0;
          if (batch.isEnd) {
            if (!live) {
              live = true;
              this.resolveCaughtUp();
              this.options.onCaughtUp?.();
            }
            await this.waitForAppend();
          } else {
            live = false;
          }
        } catch (error) {
          attempt += 1;
          live = false;
          this.options.onError?.(error, attempt);
          await sleep(backoffDelay(attempt, this.options.backoff), this.stopping.signal);
        }
      }
    } finally {
      await unlisten?.().catch(() => undefined);
    }
  }

  private waitForAppend(): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, this.source.pollIntervalMs);
      this.wakeUp = finish;
      const self = this;
      function finish() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
    });
  }
}
