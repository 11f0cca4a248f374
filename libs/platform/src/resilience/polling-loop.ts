import { backoffDelay, sleep } from './backoff';

export interface PollingLoopOptions {
  intervalMs: number;
  /** Called when a round throws; the loop waits with backoff and goes on. */
  onError?: (error: unknown) => void;
}

/**
 * Calls `round` again and again until stopped: at once while rounds find work (they return true), else
 * after the interval. A failed round never ends the loop. `stop` lets the current round finish.
 */
export class PollingLoop {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Poked while a round ran: the work it was poked for may have come after the round's claim. */
  private poked = false;

  constructor(
    private readonly round: () => Promise<boolean>,
    private readonly options: PollingLoopOptions,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Starts the next round now instead of at the end of the interval (right after the current one, if one runs). */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let busy = false;
      this.poked = false;
      try {
        busy = await this.round();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      if (this.stopping.signal.aborted) break;
      if (busy || (this.poked && failures === 0)) continue;
      const wait =
        failures > 0
          ? backoffDelay(failures, { initialMs: this.options.intervalMs, maxMs: 30_000 })
          : this.options.intervalMs;
      await this.pause(wait);
    }
  }

  private pause(ms: number): Promise<void> {
    const woken = new AbortController();
    this.wake = () => woken.abort();
    const both = AbortSignal.any([this.stopping.signal, woken.signal]);
    return sleep(ms, both).finally(() => {
      this.wake = undefined;
    });
  }
}
