import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';
import type { Checkpoint, RecordedEvent, SubscribeToAllOptions, Subscription } from '../event-store.port';
import { matchesFilter } from '../subscription/all-filter';
import { toCheckpoint } from './checkpoint';
import { toRecordedEvent } from './event-mapping';
import { observeSubscription, type SubscriptionSignals } from './subscription-signals';
import { isSystemEventType } from './system-event';

/** Opens the client's subscription to $all after `checkpoint` (from the start when undefined). */
export type OpenAllSubscription = (checkpoint: Checkpoint | undefined, batchSize: number) => AllStreamSubscription;

const DEFAULT_BATCH_SIZE = 500;

/** The server ended the stream without an error: still a drop, since a subscription to $all never ends. */
export class SubscriptionDroppedError extends Error {
  override readonly name = 'SubscriptionDroppedError';
}

/**
 * A catch-up subscription to $all that survives drops. The client does not resubscribe by itself, so on any
 * error or end this opens a new one after the last checkpoint the handler accepted, with backoff, forever;
 * a batch the handler rejects is offered again, never skipped.
 */
export class EventStoreDbAllSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private current: Checkpoint | undefined;
  private signals: SubscriptionSignals | undefined;
  private readonly stopping = new AbortController();
  private readonly done: Promise<void>;
  private readonly batchSize: number;

  constructor(
    private readonly open: OpenAllSubscription,
    private readonly options: SubscribeToAllOptions,
  ) {
    this.caughtUp = new Promise<void>((resolve) => {
      this.resolveCaughtUp = resolve;
    });
    this.current = options.from;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.done = this.run();
  }

  get checkpoint(): Checkpoint | undefined {
    return this.current;
  }

  /** Unsubscribes; resolves once the batch in the handler, if any, has finished. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.signals?.wake();
    await this.done;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    const progressed = () => {
      attempt = 0;
    };
    while (!this.stopped) {
      let failure: unknown;
      try {
        await this.consume(progressed);
      } catch (error) {
        failure = error;
      }
      if (this.stopped) break;
      attempt += 1;
      this.report(failure ?? new SubscriptionDroppedError('EventStoreDB ended the subscription to $all'), attempt);
      await sleep(backoffDelay(attempt, this.options.backoff), this.stopping.signal);
    }
  }

  /** One subscription from the current checkpoint until it fails or ends (throws) or `stop()` (returns). */
  private async consume(progressed: () => void): Promise<void> {
    const subscription = this.open(this.current, this.batchSize);
    const signals = observeSubscription(subscription);
    this.signals = signals;
    try {
      while (!this.stopped) {
        const batch = takeBuffered(subscription, this.batchSize);
        if (batch.length > 0) {
          if (await this.deliver(batch)) progressed();
          continue;
        }
        if (signals.failure) throw signals.failure;
        if (signals.ended) throw new SubscriptionDroppedError('EventStoreDB ended the subscription to $all');
        // Only once the buffer is empty: everything before the server's caught-up message has been delivered.
        if (signals.takeCaughtUp()) {
          progressed();
          this.resolveCaughtUp();
          this.options.onCaughtUp?.();
          continue;
        }
        await signals.next();
      }
    } finally {
      this.signals = undefined;
      signals.dispose();
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  /**
   * Hands the batch's wanted events, with the checkpoint after everything it scanned, to the handler; true once
   * they are accepted. An all-unwanted batch is handed over empty, so the caller can move its checkpoint too.
   */
  private async deliver(batch: readonly AllStreamResolvedEvent[]): Promise<boolean> {
    const events: RecordedEvent[] = [];
    let last: Checkpoint | undefined;
    for (const resolved of batch) {
      const record = resolved.event;
      if (!record) continue;
      const checkpoint = toCheckpoint(record.position);
      // The server resumes after the position it is given; this only guards against seeing an event twice.
      if (this.current !== undefined && checkpoint <= this.current) continue;
      last = checkpoint;
      if (isSystemEventType(record.type)) continue;
      const event = toRecordedEvent(record, record.position);
      if (this.options.filter && !matchesFilter(event, this.options.filter)) continue;
      events.push(event);
    }
    if (last === undefined) return false;
    if (!(await this.handle(events, last))) return false;
    this.current = last;
    return true;
  }

  /** Calls the handler until it accepts the batch (true) or the subscription stops (false). */
  private async handle(events: RecordedEvent[], checkpoint: Checkpoint): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.onEvents(events, checkpoint);
        return true;
      } catch (error) {
        if (this.stopped) return false;
        this.report(error, attempt);
        await sleep(backoffDelay(attempt, this.options.backoff), this.stopping.signal);
        if (this.stopped) return false;
      }
    }
  }

  private report(error: unknown, attempt: number): void {
    try {
      this.options.onError?.(error, attempt);
    } catch {
      // A failing error reporter must not end the subscription: retrying is what keeps projections alive.
    }
  }
}

function takeBuffered(subscription: AllStreamSubscription, max: number): AllStreamResolvedEvent[] {
  const batch: AllStreamResolvedEvent[] = [];
  while (batch.length < max) {
    const next: AllStreamResolvedEvent | null = subscription.read();
    if (next === null) break;
    batch.push(next);
  }
  return batch;
}
