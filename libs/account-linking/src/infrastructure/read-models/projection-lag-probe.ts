import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { measureProjectionLag, type ProjectionLag } from '@lib/event-store/projections/projection-lag';
import type { ProjectionLagSource } from '@lib/event-store/projections/projection-lag-source';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';

/**
 * Lag (checkpoint vs head) of every projection with a checkpoint, read models and process managers alike,
 * whichever process runs them: the figures of the projection lag metrics and of the admin API.
 */
@Injectable()
export class ProjectionLagProbe implements ProjectionLagSource {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async projectionLag(): Promise<ProjectionLag[]> {
    const [table] = await this.sql.query<{ name: string | null }>(
      `SELECT to_regclass('es_projection_checkpoints')::text AS name`,
    );
    const rows = table?.name
      ? await this.sql.query<{ projection: string }>('SELECT projection FROM es_projection_checkpoints')
      : [];
    const names = new Set([
      ...accountLinkingReadModels().map((projection) => projection.name),
      ...rows.map((row) => row.projection),
    ]);
    return measureProjectionLag(this.store, this.sql, [...names].sort());
  }
}
