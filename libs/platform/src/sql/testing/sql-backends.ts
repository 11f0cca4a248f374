import { PgliteSqlClient } from '../pglite-sql-client';
import { PostgresSqlClient } from '../postgres-sql-client';
import type { SqlClient } from '../sql-client';
import { createTestSchema } from './test-database';

export interface IsolatedSqlClient {
  readonly sql: SqlClient;
  dispose(): Promise<void>;
}

export interface SqlBackend {
  readonly name: SqlClient['kind'];
  open(): Promise<IsolatedSqlClient>;
}

/** The backends every SQL-backed test runs on: in-memory PGlite, and a schema of its own on the server. */
export const SQL_BACKENDS: readonly SqlBackend[] = [
  {
    name: 'pglite',
    async open() {
      const sql = await PgliteSqlClient.open();
      return { sql, dispose: () => sql.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createTestSchema();
      const sql = new PostgresSqlClient(database.url, { max: 4 });
      return {
        sql,
        async dispose() {
          await sql.close();
          await database.drop();
        },
      };
    },
  },
];
