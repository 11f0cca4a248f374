import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

/** Every projection the service keeps; read models register here as they are built. */
export const PROJECTIONS: readonly Projection[] = [];

/** Starts one runner per projection after boot and stops each at a checkpoint on shutdown. */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionHost.name);
  private readonly runners: ProjectionRunner[];

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(SQL_CLIENT) sql: SqlClient) {
    this.runners = PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner(store, sql, projection, {
          onError: (error) =>
            this.logger.error(`Projection ${projection.name} failed; retrying from its checkpoint`, error),
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
