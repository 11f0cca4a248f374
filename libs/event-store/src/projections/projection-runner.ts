import { backoffDelay, sleep } from '@lib/platform/resilience/backoff';
import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint, EventStore, RecordedEvent } from '../event-store.port';
import { batchCommitsOf } from './batch-commits';
import { type CheckpointMoves, checkpointMovesOf, type HoldsCheckpointMove } from './checkpoint-moves';
import type { Projection } from './projection';
import { projectionLocksOf } from './projection-locks';
import {
  projectionCheckpointsSchema,
  readProjectionCheckpoint,
  storeProjectionCheckpoint,
} from './projection-checkpoints';

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** How often a standby runner tries to take over the projection. */
  standbyRetryMs?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  onError?: (error: unknown) => void;
  /**
   * A batch the filter emptied moves the checkpoint only: such moves are stored at most once per this many
   * milliseconds (the first at once, the last at the latest this much later), for every runner of the process on
   * the same database in one statement (`CheckpointMoves`), so a busy log does not cost every projection a
   * transaction per append. A batch with events is stored with its effects at once, always. 0: every move at
   * once. Default 100.
   */
  emptyBatchCheckpointIntervalMs?: number;
  /** Called after a batch with events has committed (with its effects and checkpoint). */
  onCommitted?: (events: readonly RecordedEvent[]) => void;
}

export type RunnerRole = 'starting' | 'active' | 'standby' | 'stopped';

/**
 * Runs one projection: reads the global log from the projection's checkpoint, applies each batch and
 * moves the checkpoint in the same transaction, so a crash never loses or doubles an update. One runner
 * per projection is active across processes (a session advisory lock, held with every other runner's of the
 * process on one session: `ProjectionLocks`); others wait on standby. Its batches go through the pool.
 */
export class ProjectionRunner {
  private role: RunnerRole = 'stopped';
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private applied: Checkpoint | undefined;
  private readonly waiters = new Set<{ target: Checkpoint; resolve: () => void }>();

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get currentRole(): RunnerRole {
    return this.role;
  }

  /** The checkpoint of the last batch this runner committed. */
  get checkpoint(): Checkpoint | undefined {
    return this.applied;
  }

  async setUp(): Promise<void> {
    // Runners starting together (several projections, several processes) would race on CREATE TABLE IF NOT EXISTS.
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:es_projection_checkpoints'))`);
      await tx.query(projectionCheckpointsSchema);
    });
    await this.projection.setUp(this.sql);
  }

  start(): void {
    if (this.loop) return;
    this.role = 'starting';
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.role = 'stopped';
  }

  /** Resolves once this runner has committed a batch at or past `target`. */
  waitFor(target: Checkpoint): Promise<void> {
    if (this.applied !== undefined && this.applied >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ target, resolve }));
  }

  /**
   * Empties the read model and replays the whole log into it. The runner must be stopped; the lock is
   * held throughout so that no other process projects meanwhile.
   */
  async rebuild(): Promise<void> {
    if (this.loop) throw new Error('Stop the runner before rebuilding its projection');
    await this.setUp();
    const done = await this.withLock(async () => {
      const from = await readProjectionCheckpoint(this.sql, this.projection.name);
      await this.sql.transaction(async (tx) => {
        await this.projection.reset(tx);
        await storeProjectionCheckpoint(tx, this.projection.name, from, undefined);
      });
      let checkpoint: Checkpoint | undefined;
      for (;;) {
        const page = await this.store.readAll(checkpoint, this.options.batchSize ?? 1_000, this.projection.filter);
        if (page.checkpoint !== checkpoint) {
          const before = checkpoint;
          await this.commitBatch(page.events, before, page.checkpoint);
          checkpoint = page.checkpoint;
        }
        if (page.isEnd) return true;
      }
    });
    if (!done) throw new Error(`Projection ${this.projection.name} is being run by another process`);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let setUp = false;
    while (!this.stopping.signal.aborted) {
      try {
        if (!setUp) {
          await this.setUp();
          setUp = true;
        }
        const ran = await this.withLock(() => this.project());
        if (!ran) {
          this.role = 'standby';
          await sleep(this.options.standbyRetryMs ?? 1_000, this.stopping.signal);
        }
        attempt = 0;
      } catch (error) {
        attempt += 1;
        this.options.onError?.(error);
        await sleep(backoffDelay(attempt, this.options.backoff), this.stopping.signal);
      }
    }
  }

  /** Runs `work` holding the projection's lock, or returns false at once when another runner holds it. */
  private async withLock<T>(work: () => Promise<T>): Promise<T | false> {
    const locks = projectionLocksOf(this.sql);
    if (!(await locks.tryLock(this.projection.name))) return false;
    try {
      return await work();
    } finally {
      await locks.unlock(this.projection.name);
    }
  }

  /** Active role: follows the log until stopped or until something fails (then the caller restarts it). */
  private async project(): Promise<void> {
    this.role = 'active';
    const checkpoints = new ThrottledCheckpoints(
      await readProjectionCheckpoint(this.sql, this.projection.name),
      this.projection.name,
      checkpointMovesOf(this.sql, this.options.emptyBatchCheckpointIntervalMs ?? 100),
      (stored) => this.advance(stored),
    );
    this.advance(checkpoints.stored);
    let failure: ((error: unknown) => void) | undefined;
    const failed = new Promise<void>((_, reject) => {
      failure = reject;
    });
    const subscription = this.store.subscribeToAll({
      from: checkpoints.stored,
      filter: this.projection.filter,
      batchSize: this.options.batchSize ?? 500,
      onEvents: async (events, after) => {
        const next = after ?? events.at(-1)?.checkpoint;
        try {
          if (events.length === 0) checkpoints.moveEmpty(next);
          else await checkpoints.serially((from) => this.commitBatch(events, from, next).then(() => next));
        } catch (error) {
          failure?.(error);
          throw error;
        }
      },
      onError: (error) => this.options.onError?.(error),
    });
    const stopped = new Promise<void>((resolve) => this.stopping.signal.addEventListener('abort', () => resolve()));
    try {
      await Promise.race([failed, stopped, checkpoints.failed]);
    } finally {
      await subscription.stop();
      // What the filter emptied last is stored before the runner lets go (a failure here only means a re-scan).
      await checkpoints.close().catch((error: unknown) => this.options.onError?.(error));
    }
  }

  private async commitBatch(
    events: readonly RecordedEvent[],
    from: Checkpoint | undefined,
    to: Checkpoint | undefined,
  ): Promise<void> {
    if (events.length > 0) await this.projection.react?.(events);
    const apply = async (tx: SqlExecutor) => {
      if (events.length > 0) await this.projection.apply(events, tx);
    };
    if (to === undefined) {
      await this.sql.transaction(async (tx) => {
        await apply(tx);
        await storeProjectionCheckpoint(tx, this.projection.name, from, to);
      });
    } else {
      // With the batches of the process's other runners asked for meanwhile, in one transaction (`BatchCommits`).
      await batchCommitsOf(this.sql).commit({ projection: this.projection.name, from, to, apply });
    }
    this.advance(to);
    if (events.length > 0) this.options.onCommitted?.(events);
  }

  private advance(checkpoint: Checkpoint | undefined): void {
    this.applied = checkpoint;
    if (checkpoint === undefined) return;
    for (const waiter of this.waiters) {
      if (checkpoint >= waiter.target) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}

/**
 * The stored checkpoint of an active runner, and the moves of batches the filter emptied, held until the shared
 * clock of `CheckpointMoves` asks for them (at most once per interval, leading and trailing edge) and then stored
 * with every other runner's in one statement. Every store goes through `serially`, one after another, each from the
 * checkpoint stored before it (compare-and-set).
 */
class ThrottledCheckpoints implements HoldsCheckpointMove {
  private pending: Checkpoint | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private rejectFailed: ((error: unknown) => void) | undefined;
  /** Rejects when a held move failed to store (the caller restarts the runner). */
  readonly failed = new Promise<never>((_, reject) => {
    this.rejectFailed = reject;
  });

  constructor(
    public stored: Checkpoint | undefined,
    private readonly projection: string,
    private readonly moves: CheckpointMoves,
    private readonly onStored: (stored: Checkpoint | undefined) => void,
  ) {
    this.failed.catch(() => undefined);
  }

  /** Runs `work` after every store queued before it; it gets the stored checkpoint and returns the new one. */
  serially(work: (from: Checkpoint | undefined) => Promise<Checkpoint | undefined>): Promise<void> {
    const run = this.queue.then(async () => {
      const to = await work(this.stored);
      this.stored = to;
      if (this.pending !== undefined && to !== undefined && to >= this.pending) this.pending = undefined;
      this.onStored(to);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  moveEmpty(to: Checkpoint | undefined): void {
    if (to === undefined || to === this.stored) return;
    this.pending = to;
    this.moves.request(this);
  }

  storeHeldMove(): void {
    if (this.pending === undefined) return;
    this.storeMove(this.pending).catch((error: unknown) => this.rejectFailed?.(error));
  }

  /** Stores a held move now, if any is left. */
  async close(): Promise<void> {
    this.moves.forget(this);
    if (this.pending !== undefined) await this.storeMove(this.pending);
  }

  private storeMove(to: Checkpoint): Promise<void> {
    return this.serially(async (from) => {
      if (from !== undefined && from >= to) return from;
      await this.moves.store(this.projection, from, to);
      return to;
    });
  }
}
