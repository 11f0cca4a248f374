import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import { WORK_SIGNALS, type WorkSignals } from '@lib/platform/resilience/work-signals';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

/** Every projection the service keeps, read models and process managers alike (the worker module lists them). */
export const PROJECTIONS = Symbol('PROJECTIONS');

/**
 * Starts one runner per projection after boot and stops each at a checkpoint before shutdown, while the
 * database is still open. A committed batch of a projection that queues work wakes that work's pollers.
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionHost.name);
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(PROJECTIONS) projections: readonly Projection[],
    @Optional() @Inject(WORK_SIGNALS) signals?: WorkSignals,
  ) {
    this.runners = projections.map(
      (projection) =>
        new ProjectionRunner(store, sql, projection, {
          onCommitted: () => {
            for (const kind of projection.wakes ?? []) signals?.signal(kind);
          },
          onError: (error) =>
            this.logger.error(
              `Projection ${projection.name} failed (${error instanceof Error ? error.name : 'error'}); retrying from its checkpoint`,
            ),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
