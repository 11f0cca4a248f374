import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';

describeEventStoreContract('PostgreSQL schema on embedded PGlite', async () => {
  const sql = await PgliteSqlClient.open();
  const store = await PostgresEventStore.create(sql, { pollIntervalMs: 50 });
  return { store, cleanup: () => sql.close() };
});

describeEventStoreContract('PostgreSQL schema on a PostgreSQL server', async () => {
  const database = await createTestSchema();
  const sql = new PostgresSqlClient(database.url, { max: 20 });
  const store = await PostgresEventStore.create(sql, { pollIntervalMs: 50 });
  return {
    store,
    cleanup: async () => {
      await sql.close();
      await database.drop();
    },
  };
});
