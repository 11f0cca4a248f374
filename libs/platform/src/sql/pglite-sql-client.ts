import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlSession } from './sql-client';

/**
 * Embedded PostgreSQL (WASM) in this process. It has a single backend, so a "session" is the database
 * itself; PGlite queues statements and runs a transaction's callback exclusively.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory (tests); a path persists it. */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteSqlClient(db);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      work({
        query: async <Row>(text: string, params: readonly unknown[] = []) =>
          (await tx.query<Row>(text, params as unknown[])).rows,
      }),
    );
  }

  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
