import { createHash } from 'node:crypto';
import type { SqlClient, SqlSession } from '@lib/platform/sql/sql-client';
import type { Checkpoint, EventStore } from '../event-store.port';
import { projectionCheckpointsSchema } from './projection-checkpoints';
import { assertTableName, type RebuildableProjection } from './rebuildable-projection';

export type RebuildPhase = 'copying' | 'swapping' | 'done' | 'failed';

export interface RebuildProgress {
  projection: string;
  phase: RebuildPhase;
  startedAt: string;
  finishedAt?: string;
  /** Events of the projection's filter applied to the shadow tables so far. */
  eventsApplied: number;
  eventsPerSecond: number;
  /** Global position of the last event applied. */
  position?: number;
  /** Global position of the log's head when the rebuild started, where the store can tell. */
  headPosition?: number;
  /** Share of the log read so far (0..1), where the head is known. */
  fraction?: number;
  etaSeconds?: number;
  /** Times the rebuilt tables were offered for the swap (live had moved on when it failed). */
  swapAttempts: number;
  /** Where live projection resumes once the rebuilt tables are swapped in. */
  checkpoint?: Checkpoint;
  error?: string;
}

export interface BlueGreenRebuildOptions {
  batchSize?: number;
  /** Appended to each table name for the tables being built; `_next` unless said. */
  shadowSuffix?: string;
  maxSwapAttempts?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** At most this often while copying; every phase change is reported regardless. */
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export class RebuildAlreadyRunningError extends Error {
  override readonly name = 'RebuildAlreadyRunningError';
}

export class RebuildAbortedError extends Error {
  override readonly name = 'RebuildAbortedError';
}

/** SQLSTATEs that mean "the live runner held the locks": the swap is simply tried again. */
const DEADLOCK_DETECTED = '40P01';
const LOCK_NOT_AVAILABLE = '55P03';
const SWAP_LOCK_TIMEOUT = '2s';

/** Advisory lock class for rebuilds (two-int form), apart from the runners' class. */
const REBUILD_LOCK_CLASS = 73_452;
/** PGlite's advisory locks are re-entrant within its one session: guard the process too. */
const runningInThisProcess = new WeakMap<SqlClient, Set<string>>();

const lockKey = (projection: string) => createHash('sha256').update(projection).digest().readInt32BE(0);

/**
 * Rebuilds a projection from zero without stopping the service (blue/green): the read model is built into
 * shadow tables (`rm_links_next`) while live keeps serving and projecting; then, in one transaction that
 * locks the live tables and the projection's checkpoint row, the shadow tables replace the live ones and
 * the checkpoint becomes the rebuild's. The live runner, wherever it runs, finds its checkpoint moved at
 * its next batch (a compare-and-set conflict) and resumes from the rebuilt checkpoint.
 *
 * The swap happens only when the rebuild has read at least as far as live has applied, so live never
 * has to go back before what a reader has already seen; otherwise the rebuild catches up and tries again.
 */
export class BlueGreenRebuild {
  private readonly progress: RebuildProgress;
  private readonly started = Date.now();
  private lastReport = 0;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projection: RebuildableProjection,
    private readonly options: BlueGreenRebuildOptions = {},
  ) {
    this.progress = {
      projection: projection.name,
      phase: 'copying',
      startedAt: new Date(this.started).toISOString(),
      eventsApplied: 0,
      eventsPerSecond: 0,
      swapAttempts: 0,
    };
  }

  async run(): Promise<RebuildProgress> {
    const name = this.projection.name;
    const inProcess = runningInThisProcess.get(this.sql) ?? new Set<string>();
    runningInThisProcess.set(this.sql, inProcess);
    if (inProcess.has(name)) throw new RebuildAlreadyRunningError(`A rebuild of ${name} is already running`);
    inProcess.add(name);
    try {
      return await this.sql.withSession(async (session) => {
        const key = [REBUILD_LOCK_CLASS, lockKey(name)];
        const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', key);
        if (!row?.locked) throw new RebuildAlreadyRunningError(`A rebuild of ${name} is running in another process`);
        try {
          return await this.rebuild(session);
        } catch (error) {
          this.progress.error = error instanceof Error ? error.message : String(error);
          this.report('failed', true);
          await session.exec(`DROP TABLE IF EXISTS ${this.shadowTables().join(', ')}`).catch(() => undefined);
          throw error;
        } finally {
          await session.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => undefined);
        }
      });
    } finally {
      inProcess.delete(name);
    }
  }

  private shadowTables(): string[] {
    return this.projection.withTableSuffix(this.options.shadowSuffix ?? '_next').tables.map(assertTableName);
  }

  private async rebuild(session: SqlSession): Promise<RebuildProgress> {
    const shadow = this.projection.withTableSuffix(this.options.shadowSuffix ?? '_next');
    // As the runners do: processes setting up together would race on CREATE TABLE IF NOT EXISTS.
    await session.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:es_projection_checkpoints'))`);
      await tx.query(projectionCheckpointsSchema);
    });
    // The live tables must exist for the swap to lock them, even when live never ran.
    await this.projection.setUp(session);
    await session.exec(`DROP TABLE IF EXISTS ${this.shadowTables().join(', ')}`);
    await shadow.setUp(session);
    const head = await this.store.headPosition?.();
    if (head !== undefined) this.progress.headPosition = head;
    this.report('copying', true);

    let checkpoint: Checkpoint | undefined;
    const maxAttempts = this.options.maxSwapAttempts ?? 10;
    for (;;) {
      checkpoint = await this.copy(session, shadow, checkpoint);
      this.progress.swapAttempts += 1;
      this.report('swapping', true);
      if (await this.swap(session, checkpoint)) break;
      if (this.progress.swapAttempts >= maxAttempts) {
        throw new Error(`Live projection ${this.projection.name} kept ahead of the rebuild; no swap`);
      }
      this.report('copying', true);
    }
    if (checkpoint !== undefined) this.progress.checkpoint = checkpoint;
    this.progress.finishedAt = new Date().toISOString();
    this.report('done', true);
    return { ...this.progress };
  }

  /** Applies the log after `from` to the shadow tables, one transaction per batch, up to what is visible now. */
  private async copy(
    session: SqlSession,
    shadow: RebuildableProjection,
    from: Checkpoint | undefined,
  ): Promise<Checkpoint | undefined> {
    let checkpoint = from;
    for (;;) {
      if (this.options.signal?.aborted) throw new RebuildAbortedError(`Rebuild of ${this.projection.name} aborted`);
      const page = await this.store.readAll(checkpoint, this.options.batchSize ?? 1_000, this.projection.filter);
      if (page.events.length > 0) await session.transaction((tx) => shadow.apply(page.events, tx));
      this.progress.eventsApplied += page.events.length;
      const last = page.events.at(-1);
      if (last) this.progress.position = last.globalPosition;
      checkpoint = page.checkpoint;
      this.report('copying');
      if (page.isEnd) return checkpoint;
    }
  }

  /**
   * One transaction: lock live, check live is not ahead, swap the tables and their indexes, move the checkpoint.
   * Losing a deadlock to the live runner, or waiting too long for its locks, is one more reason to try again.
   */
  private async swap(session: SqlSession, checkpoint: Checkpoint | undefined): Promise<boolean> {
    try {
      return await this.trySwap(session, checkpoint);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === DEADLOCK_DETECTED || code === LOCK_NOT_AVAILABLE) return false;
      throw error;
    }
  }

  private trySwap(session: SqlSession, checkpoint: Checkpoint | undefined): Promise<boolean> {
    const name = this.projection.name;
    const live = this.projection.tables.map(assertTableName);
    const next = this.shadowTables();
    return session.transaction(async (tx) => {
      // A queued ACCESS EXCLUSIVE request blocks every reader behind it: never queue for long.
      await tx.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
      await tx.query(`LOCK TABLE ${live.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await tx.query('INSERT INTO es_projection_checkpoints (projection) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
      const [row] = await tx.query<{ checkpoint: string | null }>(
        'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = $1 FOR UPDATE',
        [name],
      );
      const liveCheckpoint = row?.checkpoint ?? undefined;
      if (liveCheckpoint !== undefined && (checkpoint === undefined || liveCheckpoint > checkpoint)) return false;
      for (const [index, table] of live.entries()) {
        const shadowTable = next[index] as string;
        await tx.query(`DROP TABLE ${table}`);
        await tx.query(`ALTER TABLE ${shadowTable} RENAME TO ${table}`);
        const indexes = await tx.query<{ indexname: string }>(
          'SELECT indexname::text AS indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
          [table],
        );
        for (const { indexname } of indexes) {
          if (!indexname.startsWith(shadowTable)) continue;
          const renamed = assertTableName(`${table}${indexname.slice(shadowTable.length)}`);
          await tx.query(`ALTER INDEX ${assertTableName(indexname)} RENAME TO ${renamed}`);
        }
      }
      await tx.query('UPDATE es_projection_checkpoints SET checkpoint = $2, updated_at = now() WHERE projection = $1', [
        name,
        checkpoint ?? null,
      ]);
      return true;
    });
  }

  private report(phase: RebuildPhase, force = false): void {
    this.progress.phase = phase;
    const now = Date.now();
    const elapsedSeconds = Math.max((now - this.started) / 1000, 0.001);
    this.progress.eventsPerSecond = Math.round(this.progress.eventsApplied / elapsedSeconds);
    const { position, headPosition } = this.progress;
    if (headPosition !== undefined && headPosition > 0 && position !== undefined) {
      const fraction = Math.min(position / headPosition, 1);
      this.progress.fraction = Math.round(fraction * 1000) / 1000;
      if (fraction > 0) this.progress.etaSeconds = Math.round((elapsedSeconds * (1 - fraction)) / fraction);
    }
    if (phase === 'done' && headPosition !== undefined) {
      this.progress.fraction = 1;
      this.progress.etaSeconds = 0;
    }
    if (!force && now - this.lastReport < (this.options.progressIntervalMs ?? 500)) return;
    this.lastReport = now;
    this.options.onProgress?.({ ...this.progress });
  }
}
