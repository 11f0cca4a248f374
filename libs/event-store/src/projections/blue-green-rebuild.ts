import { createHash } from 'node:crypto';
import type { SqlClient, SqlSession } from '@lib/platform/sql/sql-client';
import type { AllFilter, Checkpoint, EventStore, RecordedEvent } from '../event-store.port';
import { matchesFilter } from '../subscription/all-filter';
import { projectionCheckpointsSchema } from './projection-checkpoints';
import { assertTableName, type RebuildableProjection } from './rebuildable-projection';

export type RebuildPhase = 'copying' | 'swapping' | 'done' | 'failed';

export interface RebuildProgress {
  /** The read model rebuilt; for several rebuilt in one pass over the log, their names joined by commas. */
  projection: string;
  /** Each read model of a pass that rebuilds several, with the events of its own filter applied so far. */
  readModels?: { projection: string; eventsApplied: number }[];
  phase: RebuildPhase;
  startedAt: string;
  finishedAt?: string;
  /** Events of the projection's filter applied to the shadow tables so far (of any of their filters, each once, for several). */
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

/**
 * Events per page read and applied (each page one transaction): large pages cut the statements per event and write
 * a row once where its events span fewer pages; two pages are in memory at a time (one applied, the next read).
 */
export const REBUILD_PAGE_SIZE = 5_000;
/** A page's transaction: no wait for the WAL flush, and plans made for the tables as they are (see applyPage). */
const PAGE_SETTINGS = `SELECT set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`;

export interface BlueGreenRebuildOptions {
  /** Events per page; `REBUILD_PAGE_SIZE` unless said. */
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
 *
 * Several read models can be rebuilt in one pass over the log (given as a list): each page read is applied
 * to every one of them in one transaction (each gets the events of its own filter), and they are swapped in
 * together, in one transaction. The log is read once instead of once per read model.
 */
export class BlueGreenRebuild {
  private readonly projections: readonly RebuildableProjection[];
  private readonly progress: RebuildProgress;
  private readonly started = Date.now();
  private lastReport = 0;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    projection: RebuildableProjection | readonly RebuildableProjection[],
    private readonly options: BlueGreenRebuildOptions = {},
  ) {
    this.projections = Array.isArray(projection) ? projection : [projection as RebuildableProjection];
    const names = this.projections.map((each) => each.name);
    if (names.length === 0) throw new Error('A rebuild needs at least one read model');
    if (new Set(names).size !== names.length) throw new Error(`A read model is named twice: ${names.join(', ')}`);
    this.progress = {
      projection: names.join(','),
      ...(names.length > 1 ? { readModels: names.map((name) => ({ projection: name, eventsApplied: 0 })) } : {}),
      phase: 'copying',
      startedAt: new Date(this.started).toISOString(),
      eventsApplied: 0,
      eventsPerSecond: 0,
      swapAttempts: 0,
    };
  }

  /** The progress so far (before `run`, its first report). */
  get current(): RebuildProgress {
    const { readModels, ...progress } = this.progress;
    // Each report its own: the per-read-model counts go on moving in this rebuild's progress.
    return { ...progress, ...(readModels ? { readModels: readModels.map((model) => ({ ...model })) } : {}) };
  }

  async run(): Promise<RebuildProgress> {
    const names = this.projections.map((projection) => projection.name);
    const inProcess = runningInThisProcess.get(this.sql) ?? new Set<string>();
    runningInThisProcess.set(this.sql, inProcess);
    const busy = names.find((name) => inProcess.has(name));
    if (busy !== undefined) throw new RebuildAlreadyRunningError(`A rebuild of ${busy} is already running`);
    for (const name of names) inProcess.add(name);
    try {
      return await this.sql.withSession(async (session) => {
        const held: number[][] = [];
        try {
          // In one order everywhere, so that two passes over overlapping read models never wait crosswise.
          for (const name of [...names].sort()) {
            const key = [REBUILD_LOCK_CLASS, lockKey(name)];
            const [row] = await session.query<{ locked: boolean }>(
              'SELECT pg_try_advisory_lock($1, $2) AS locked',
              key,
            );
            if (!row?.locked)
              throw new RebuildAlreadyRunningError(`A rebuild of ${name} is running in another process`);
            held.push(key);
          }
          return await this.rebuild(session);
        } catch (error) {
          if (error instanceof RebuildAlreadyRunningError) throw error;
          this.progress.error = error instanceof Error ? error.message : String(error);
          this.report('failed', true);
          await session.exec(`DROP TABLE IF EXISTS ${this.shadowTables().join(', ')}`).catch(() => undefined);
          throw error;
        } finally {
          for (const key of held) await session.query('SELECT pg_advisory_unlock($1, $2)', key).catch(() => undefined);
        }
      });
    } finally {
      for (const name of names) inProcess.delete(name);
    }
  }

  private shadows(): RebuildableProjection[] {
    return this.projections.map((projection) => projection.withTableSuffix(this.options.shadowSuffix ?? '_next'));
  }

  private shadowTables(): string[] {
    return this.shadows().flatMap((shadow) => shadow.tables.map(assertTableName));
  }

  private async rebuild(session: SqlSession): Promise<RebuildProgress> {
    const shadows = this.shadows();
    // As the runners do: processes setting up together would race on CREATE TABLE IF NOT EXISTS.
    await session.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kouza-link:es_projection_checkpoints'))`);
      await tx.query(projectionCheckpointsSchema);
    });
    // The live tables must exist for the swap to lock them, even when live never ran.
    for (const projection of this.projections) await projection.setUp(session);
    await session.exec(`DROP TABLE IF EXISTS ${this.shadowTables().join(', ')}`);
    for (const shadow of shadows) await shadow.setUp(session);
    const deferredIndexes = await this.dropSecondaryIndexes(session);
    const head = await this.store.headPosition?.();
    if (head !== undefined) this.progress.headPosition = head;
    this.report('copying', true);

    let checkpoint: Checkpoint | undefined;
    const maxAttempts = this.options.maxSwapAttempts ?? 10;
    for (;;) {
      checkpoint = await this.copy(session, shadows, checkpoint);
      // Built once, from the whole table, after the first copy: far cheaper than keeping them up to date row by row.
      for (const definition of deferredIndexes.splice(0)) await session.exec(definition);
      this.progress.swapAttempts += 1;
      this.report('swapping', true);
      if (await this.swap(session, checkpoint)) break;
      if (this.progress.swapAttempts >= maxAttempts) {
        throw new Error(`Live projection ${this.progress.projection} kept ahead of the rebuild; no swap`);
      }
      this.report('copying', true);
    }
    if (checkpoint !== undefined) this.progress.checkpoint = checkpoint;
    this.progress.finishedAt = new Date().toISOString();
    this.report('done', true);
    return this.current;
  }

  /**
   * Drops the shadow tables' secondary indexes (neither unique nor behind a constraint: no upsert needs them) and
   * returns how to create each again.
   */
  private async dropSecondaryIndexes(session: SqlSession): Promise<string[]> {
    const indexes = await session.query<{ name: string; definition: string }>(
      `SELECT ic.relname::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
          AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1`,
      [this.shadowTables()],
    );
    if (indexes.length > 0) {
      await session.exec(`DROP INDEX ${indexes.map(({ name }) => assertTableName(name)).join(', ')}`);
    }
    return indexes.map(({ definition }) => definition);
  }

  /**
   * Applies the log after `from` to the shadow tables, one transaction per page, up to what is visible now.
   * The next page is read while the last one is applied (on a server, the read and the writes overlap).
   */
  private async copy(
    session: SqlSession,
    shadows: readonly RebuildableProjection[],
    from: Checkpoint | undefined,
  ): Promise<Checkpoint | undefined> {
    const filter = unionOf(shadows.map((shadow) => shadow.filter));
    const limit = this.options.batchSize ?? REBUILD_PAGE_SIZE;
    const read = (after: Checkpoint | undefined) => {
      const page = this.store.readAll(after, limit, filter);
      page.catch(() => undefined); // awaited below; not unhandled when the apply before it fails first
      return page;
    };
    let next = read(from);
    for (;;) {
      if (this.options.signal?.aborted) throw new RebuildAbortedError(`Rebuild of ${this.progress.projection} aborted`);
      const page = await next;
      if (!page.isEnd) next = read(page.checkpoint);
      if (page.events.length > 0) await this.applyPage(session, shadows, filter, page.events);
      const last = page.events.at(-1);
      if (last) this.progress.position = last.globalPosition;
      this.report('copying');
      if (page.isEnd) return page.checkpoint;
    }
  }

  /**
   * One transaction for the page: each shadow gets the events of its own filter (the page itself where it was read
   * with that filter). No wait for the WAL flush at its commit: a crash loses a rebuild whichever pages were
   * flushed (its shadow tables are dropped when it starts again), and the swap's own commit, which flushes
   * everything before it, waits as every commit does. Each statement planned for the page as the shadow tables
   * are now (`force_custom_plan`): they grow from empty within the rebuild, and a prepared statement's generic
   * plan, made while they were small, would scan them whole for every page (a lookup of the page's rows by key
   * turning into a sequential scan, the rebuild quadratic in the log's length).
   */
  private async applyPage(
    session: SqlSession,
    shadows: readonly RebuildableProjection[],
    readWith: AllFilter | undefined,
    events: readonly RecordedEvent[],
  ): Promise<void> {
    const pages = shadows.map((shadow) =>
      shadow.filter === readWith || !shadow.filter
        ? events
        : events.filter((event) => matchesFilter(event, shadow.filter as AllFilter)),
    );
    await session.transaction(async (tx) => {
      await tx.query(PAGE_SETTINGS);
      for (const [index, shadow] of shadows.entries()) {
        const own = pages[index] as readonly RecordedEvent[];
        if (own.length > 0) await shadow.apply(own, tx);
      }
    });
    this.progress.eventsApplied += pages.length === 1 ? (pages[0]?.length ?? 0) : new Set(pages.flat()).size;
    for (const [index, model] of (this.progress.readModels ?? []).entries()) {
      model.eventsApplied += pages[index]?.length ?? 0;
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
    const names = this.projections.map((projection) => projection.name);
    const live = this.projections.flatMap((projection) => projection.tables.map(assertTableName));
    const next = this.shadowTables();
    return session.transaction(async (tx) => {
      // A queued ACCESS EXCLUSIVE request blocks every reader behind it: never queue for long.
      await tx.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
      await tx.query(`LOCK TABLE ${live.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await tx.query(
        'INSERT INTO es_projection_checkpoints (projection) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING',
        [names],
      );
      const rows = await tx.query<{ checkpoint: string | null }>(
        'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = ANY($1::text[]) ORDER BY projection FOR UPDATE',
        [names],
      );
      const ahead = rows.some(
        ({ checkpoint: liveCheckpoint }) =>
          liveCheckpoint != null && (checkpoint === undefined || liveCheckpoint > checkpoint),
      );
      if (ahead) return false;
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
      await tx.query(
        'UPDATE es_projection_checkpoints SET checkpoint = $2, updated_at = now() WHERE projection = ANY($1::text[])',
        [names, checkpoint ?? null],
      );
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
    this.options.onProgress?.(this.current);
  }
}

/**
 * One read for several filters: the union where it can be said as one filter (every filter of event types
 * alone, or every filter of stream prefixes alone), else everything (each read model filters its own).
 */
export function unionOf(filters: readonly (AllFilter | undefined)[]): AllFilter | undefined {
  if (filters.length === 1) return filters[0];
  if (filters.some((filter) => filter === undefined)) return undefined;
  const all = filters as readonly AllFilter[];
  if (all.every((filter) => filter.eventTypes && !filter.streamPrefixes)) {
    return { eventTypes: [...new Set(all.flatMap((filter) => filter.eventTypes ?? []))] };
  }
  if (all.every((filter) => filter.streamPrefixes && !filter.eventTypes)) {
    return { streamPrefixes: [...new Set(all.flatMap((filter) => filter.streamPrefixes ?? []))] };
  }
  return undefined;
}
