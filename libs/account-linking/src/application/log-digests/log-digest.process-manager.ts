import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import { type LogDigest, LogDigestAccumulator } from '@lib/event-store/hash-chain/log-digest';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';
import { CLOCK, type Clock } from '../ports/clock.port';
import { LOG_DIGEST_SETTINGS, type LogDigestSettings } from './log-digest-settings';
import { LogDigests, pointOf } from './log-digests';

/** Another writer recorded the digest this one was about to: follow again from the stream's last digest. */
class Superseded extends Error {
  override readonly name = 'Superseded';
}

/** How often the time rule is looked at, at most (less often than the interval itself would be pointless). */
const TICK_MS = 1_000;

/**
 * Keeps the accumulator of the whole log (README "Log digest") and records the next signed digest on `log-digests`
 * every `everyEvents` covered events, or once `intervalMs` passed since the last digest with at least one new
 * event. Checkpointed over the global log like the other process managers, but its checkpoint is its own last
 * digest: the accumulator lives in memory, costing no write per batch, and after a restart (or when another
 * worker or an operator recorded the next digest first: the expected revision refuses the second) it follows the
 * log again from the last recorded digest's `upToCheckpoint` with that digest's value.
 */
@Injectable()
export class LogDigestProcessManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LogDigest');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly digests: LogDigests,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOG_DIGEST_SETTINGS) private readonly settings: LogDigestSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.digests.canSign) {
      this.logger.warn('No signing key of its own (external token issuer): this worker records no log digests');
      return;
    }
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        await this.follow();
        attempt = 0;
      } catch (error) {
        attempt += 1;
        this.logger.error(
          `Log digest failed (${error instanceof Error ? error.name : 'error'}); following again from the last digest`,
        );
        await sleep(backoffDelay(attempt, { initialMs: 200, maxMs: 10_000 }), this.stopping.signal);
      }
    }
  }

  /** Follows the log from the last recorded digest until stopped (resolves), superseded (resolves) or failed. */
  private async follow(): Promise<void> {
    const state = new FollowedLog(await this.digests.latest());
    let queue: Promise<void> = Promise.resolve();
    let ended = false;
    let end: (outcome: unknown) => void = () => undefined;
    const finished = new Promise<unknown>((resolve) => {
      end = resolve;
    });
    // Batches and ticks one after another: a digest is recorded at a point the accumulator really stood at.
    const serially = (work: () => Promise<void>): Promise<void> => {
      const run = queue.then(async () => {
        if (ended) return;
        try {
          await work();
        } catch (error) {
          ended = true;
          end(error);
        }
      });
      queue = run;
      return run;
    };
    const subscription = this.store.subscribeToAll({
      ...(state.last ? { from: state.last.upToCheckpoint } : {}),
      batchSize: 500,
      onEvents: (events) => serially(() => this.apply(state, events)),
      onError: (error) =>
        this.logger.warn(`Reading the log failed (${error instanceof Error ? error.name : 'error'}); retrying`),
    });
    const tick = setInterval(
      () => void serially(() => this.recordIfDue(state)),
      Math.min(TICK_MS, this.settings.intervalMs),
    );
    const onAbort = () => end(undefined);
    this.stopping.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = this.stopping.signal.aborted ? undefined : await finished;
      if (outcome !== undefined && !(outcome instanceof Superseded)) throw outcome;
    } finally {
      ended = true;
      this.stopping.signal.removeEventListener('abort', onAbort);
      clearInterval(tick);
      await subscription.stop();
      await queue;
    }
  }

  private async apply(state: FollowedLog, events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (!state.add(event)) continue;
      if (state.pendingEvents >= this.settings.everyEvents) await this.record(state);
    }
    await this.recordIfDue(state);
  }

  private async recordIfDue(state: FollowedLog): Promise<void> {
    const since = state.pendingSince;
    if (since === undefined || this.clock.now().getTime() - since < this.settings.intervalMs) return;
    await this.record(state);
  }

  private async record(state: FollowedLog): Promise<void> {
    const occurredAt = this.clock.now().toISOString();
    const correlationId = randomUUID();
    try {
      const digest = await this.digests.record(state.last, state.point, {
        actor: { type: 'system', id: 'log-digest' },
        correlationId,
        causationId: correlationId,
        occurredAt,
      });
      state.recorded(digest);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new Superseded(`${error.stream} moved on`);
      throw error;
    }
  }
}

/** The accumulator since the last digest, and what the triggers need to know of the events after it. */
class FollowedLog {
  private readonly accumulator: LogDigestAccumulator;
  /** When the first covered event after the last digest was recorded; the time rule's start before any digest. */
  private firstPendingAt: number | undefined;

  constructor(public last: LogDigest | undefined) {
    this.accumulator = new LogDigestAccumulator(pointOf(last));
  }

  get point() {
    return this.accumulator.current;
  }

  get pendingEvents(): number {
    return this.accumulator.current.eventCount - (this.last?.eventCount ?? 0);
  }

  /** Since when the time rule counts, while at least one event awaits a digest (else undefined). */
  get pendingSince(): number | undefined {
    if (this.pendingEvents === 0) return undefined;
    return this.last ? Date.parse(this.last.recordedAt) : this.firstPendingAt;
  }

  add(event: RecordedEvent): boolean {
    if (!this.accumulator.add(event)) return false;
    this.firstPendingAt ??= event.recordedAt.getTime();
    return true;
  }

  recorded(digest: LogDigest): void {
    this.last = digest;
    this.firstPendingAt = undefined;
  }
}
