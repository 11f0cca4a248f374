import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import {
  BlueGreenRebuild,
  RebuildAbortedError,
  RebuildAlreadyRunningError,
  type RebuildProgress,
} from '@lib/event-store/projections/blue-green-rebuild';
import type { RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

const projectionNotFound = (name: string) =>
  new ProblemException({ status: 404, code: 'projection_not_found', detail: `No rebuildable read model ${name}` });

const rebuildInProgress = (name: string) =>
  new ProblemException({ status: 409, code: 'rebuild_in_progress', detail: `A rebuild of ${name} is running` });

/** The key of the pass over every read model, among the per-read-model rebuilds. */
const EVERY_READ_MODEL = '*';

/**
 * The read-model rebuilds this process runs (blue/green, see BlueGreenRebuild) and the progress of each,
 * the last one per read model: one read model, or every one in one pass over the log. Process managers are
 * not rebuildable: replaying them would repeat effects.
 */
@Injectable()
export class ProjectionRebuilds implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectionRebuild');
  private readonly projections = new Map<string, RebuildableProjection>(
    accountLinkingReadModels().map((projection) => [projection.name, projection]),
  );
  /** The last progress per read model (of its own rebuild or of a pass over all), and of the last pass over all. */
  private readonly latest = new Map<string, RebuildProgress>();
  /** The read models being rebuilt, each to the run rebuilding it. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  get rebuildable(): string[] {
    return [...this.projections.keys()];
  }

  progressOf(name: string): RebuildProgress | undefined {
    if (!this.projections.has(name)) throw projectionNotFound(name);
    return this.latest.get(name);
  }

  /** The last pass over every read model, if this process ran one. */
  progressOfAll(): RebuildProgress | undefined {
    return this.latest.get(EVERY_READ_MODEL);
  }

  /** Starts a rebuild of one read model in the background and returns its first progress report. */
  start(name: string): RebuildProgress {
    const projection = this.projections.get(name);
    if (!projection) throw projectionNotFound(name);
    return this.run(projection.name, [projection]);
  }

  /** Starts a rebuild of every read model in one pass over the log; its first progress report. */
  startAll(): RebuildProgress {
    return this.run(EVERY_READ_MODEL, [...this.projections.values()]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(new Set(this.running.values()));
  }

  private run(key: string, projections: RebuildableProjection[]): RebuildProgress {
    const names = projections.map((projection) => projection.name);
    const busy = names.find((name) => this.running.has(name));
    if (busy !== undefined) throw rebuildInProgress(busy);
    const label = key === EVERY_READ_MODEL ? 'every read model' : key;
    const record = (progress: RebuildProgress) => {
      this.latest.set(key, progress);
      for (const name of names) this.latest.set(name, progress);
    };
    let lastLogged = 0;
    // A rebuild reports done or failed before it lets go of its locks: that report is recorded once it has, so that
    // no one is told a rebuild is over and then refused a new one because it is not.
    let terminal: RebuildProgress | undefined;
    const rebuild = new BlueGreenRebuild(this.store, this.sql, projections, {
      signal: this.stopping.signal,
      onProgress: (progress) => {
        if (progress.phase === 'done' || progress.phase === 'failed') terminal = progress;
        else record(progress);
        if (Date.now() - lastLogged >= 2_000 || progress.phase !== 'copying') {
          lastLogged = Date.now();
          this.logger.log(
            `Rebuild of ${label}: ${progress.phase}, ${progress.eventsApplied} events, ${progress.eventsPerSecond} events/s` +
              (progress.etaSeconds !== undefined ? `, ETA ${progress.etaSeconds}s` : ''),
          );
        }
      },
    });
    const first = rebuild.current;
    const release = () => {
      for (const name of names) this.running.delete(name);
    };
    const run = rebuild.run().then(
      (final) => {
        release();
        record(final);
      },
      (error: unknown) => {
        release();
        if (error instanceof RebuildAlreadyRunningError) {
          record({ ...first, phase: 'failed', error: error.message });
          return;
        }
        if (terminal) record(terminal);
        if (!(error instanceof RebuildAbortedError)) {
          this.logger.error(`Rebuild of ${label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    );
    for (const name of names) this.running.set(name, run);
    record(first);
    return first;
  }
}
