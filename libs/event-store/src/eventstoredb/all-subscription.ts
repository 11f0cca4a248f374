import type { Readable } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription, Position } from '@eventstore/db-client';
import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';
import type { Checkpoint, RecordedEvent, SubscribeToAllOptions, Subscription } from '../event-store.port';
import { matchesFilter } from '../subscription/all-filter';
import { toCheckpoint } from './checkpoint';
import { toRecordedEvent } from './event-mapping';
import type { CheckpointReached } from './server-filter';
import { observeSubscription, type SubscriptionSignals } from './subscription-signals';
import { isSystemEventType } from './system-event';

/**
 * Opens the client's subscription to $all after `checkpoint` (from the start when undefined); a server-side
 * filter hands its checkpoints to `checkpointReached`.
 */
export type OpenAllSubscription = (
  checkpoint: Checkpoint | undefined,
  batchSize: number,
  checkpointReached: CheckpointReached,
) => AllStreamSubscription;

const CHECKPOINT_MARK = Symbol('checkpointReached');

/** A server checkpoint, queued in the subscription's buffer behind the events the server sent before it. */
interface CheckpointMark {
  [CHECKPOINT_MARK]: Position;
}

type Buffered = AllStreamResolvedEvent | CheckpointMark;

const isCheckpointMark = (item: Buffered): item is CheckpointMark => CHECKPOINT_MARK in item;

/**
 * The client calls this, and waits for it, before it takes the server's next message; so a mark pushed here
 * sits after every event that came before the checkpoint and before every event after it. Taking the checkpoint
 * any earlier could move past events still in the buffer, which a resubscription would then skip.
 */
const queueCheckpoint: CheckpointReached = (subscription, position) => {
  (subscription as unknown as Readable).push({ [CHECKPOINT_MARK]: position } satisfies CheckpointMark);
};

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
    const subscription = this.open(this.current, this.batchSize, queueCheckpoint);
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
  private async deliver(batch: readonly Buffered[]): Promise<boolean> {
    const events: RecordedEvent[] = [];
    let last: Checkpoint | undefined;
    for (const resolved of batch) {
      if (isCheckpointMark(resolved)) {
        // The server scanned this far without a record the filter wanted: the checkpoint moves all the same.
        const scanned = toCheckpoint(resolved[CHECKPOINT_MARK]);
        if ((this.current === undefined || scanned > this.current) && (last === undefined || scanned > last)) {
          last = scanned;
        }
        continue;
      }
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

function takeBuffered(subscription: AllStreamSubscription, max: number): Buffered[] {
  const batch: Buffered[] = [];
  while (batch.length < max) {
    const next: Buffered | null = subscription.read();
    if (next === null) break;
    batch.push(next);
  }
  return batch;
}
