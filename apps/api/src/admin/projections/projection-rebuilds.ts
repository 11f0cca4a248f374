import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
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

/**
 * The read-model rebuilds this process runs (blue/green, see BlueGreenRebuild) and the progress of each,
 * the last one per read model. Process managers are not rebuildable: replaying them would repeat effects.
 */
@Injectable()
export class ProjectionRebuilds implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectionRebuild');
  private readonly projections = new Map<string, RebuildableProjection>(
    accountLinkingReadModels().map((projection) => [projection.name, projection]),
  );
  private readonly latest = new Map<string, RebuildProgress>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get rebuildable(): string[] {
    return [...this.projections.keys()];
  }

  progressOf(name: string): RebuildProgress | undefined {
    if (!this.projections.has(name)) throw projectionNotFound(name);
    return this.latest.get(name);
  }

  /** Starts a rebuild in the background and returns its first progress report. */
  start(name: string): RebuildProgress {
    const projection = this.projections.get(name);
    if (!projection) throw projectionNotFound(name);
    if (this.running.has(name)) throw rebuildInProgress(name);
    let lastLogged = 0;
    const rebuild = new BlueGreenRebuild(this.store, this.sql, projection, {
      signal: this.stopping.signal,
      onProgress: (progress) => {
        this.latest.set(name, progress);
        if (Date.now() - lastLogged >= 2_000 || progress.phase !== 'copying') {
          lastLogged = Date.now();
          this.logger.log(
            `Rebuild of ${name}: ${progress.phase}, ${progress.eventsApplied} events, ${progress.eventsPerSecond} events/s` +
              (progress.etaSeconds !== undefined ? `, ETA ${progress.etaSeconds}s` : ''),
          );
        }
      },
    });
    const run = rebuild
      .run()
      .then((progress) => {
        this.latest.set(name, progress);
      })
      .catch((error: unknown) => {
        if (error instanceof RebuildAlreadyRunningError) {
          this.latest.set(name, { ...this.starting(name), phase: 'failed', error: error.message });
          return;
        }
        if (!(error instanceof RebuildAbortedError)) {
          this.logger.error(`Rebuild of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      })
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    const first = this.starting(name);
    this.latest.set(name, first);
    return first;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running.values());
  }

  private starting(name: string): RebuildProgress {
    return {
      projection: name,
      phase: 'copying',
      startedAt: this.clock.now().toISOString(),
      eventsApplied: 0,
      eventsPerSecond: 0,
      swapAttempts: 0,
    };
  }
}
