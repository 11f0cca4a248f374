import { mkdirSync } from 'node:fs';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@lib/platform/config/app-config';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { EVENT_STORE, type EventStore } from '../event-store.port';
import { EventStoreDbEventStore } from '../eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from '../postgres/postgres-event-store';

/** Opens the read-model database (PGlite in DATA_DIR, or DATABASE_URL) for every mode. */
async function openSql(config: AppConfig): Promise<SqlClient> {
  if (config.DATABASE_URL) return new PostgresSqlClient(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
  mkdirSync(config.DATA_DIR, { recursive: true });
  return PgliteSqlClient.open(config.DATA_DIR);
}

async function openEventStore(config: AppConfig, sql: SqlClient): Promise<EventStore> {
  if (config.EVENTSTOREDB_URL) {
    // Resolves once the cluster has told its version (23.10 or later), so a wrong server stops the start.
    return EventStoreDbEventStore.connect(config.EVENTSTOREDB_URL);
  }
  return PostgresEventStore.create(sql);
}

/** The service's storage, chosen by configuration: embedded PGlite, a PostgreSQL server, or EventStoreDB. */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: SQL_CLIENT, useFactory: () => openSql(config) },
        { provide: EVENT_STORE, useFactory: (sql: SqlClient) => openEventStore(config, sql), inject: [SQL_CLIENT] },
      ],
      exports: [SQL_CLIENT, EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.sql.close();
  }
}
