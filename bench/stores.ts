import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import type { StoreKind } from './options';

/** Where one measurement keeps its data: a fresh PGlite folder, or a fresh schema on the server. */
export interface Place {
  /** For the service's configuration: DATA_DIR, or DATABASE_URL (with the schema first on the search path). */
  env: Record<string, string>;
  /** Opens a SQL client on this place (the service opens its own from `env`); `connections` on the server. */
  open(connections?: number): Promise<SqlClient>;
  discard(): Promise<void>;
}

export async function newPlace(kind: StoreKind, databaseUrl: string): Promise<Place> {
  if (kind === 'embedded PGlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kouza-link-bench-'));
    return {
      env: { DATA_DIR: dir },
      open: async () => PgliteSqlClient.open(dir),
      discard: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString() },
    open: async (connections?: number) =>
      new PostgresSqlClient(url.toString(), { applicationName: 'kouza-link-bench', max: connections ?? 10 }),
    discard: () => adminQuery(databaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

/** A bare event store on a fresh place: what the storage ceilings and the rebuild are measured on. */
export async function openBareStore(place: Place): Promise<{ sql: SqlClient; store: PostgresEventStore }> {
  const sql = await place.open();
  return { sql, store: await PostgresEventStore.create(sql) };
}

async function adminQuery(databaseUrl: string, text: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function serverVersion(databaseUrl: string): Promise<string | undefined> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
