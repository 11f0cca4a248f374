/**
 * One SQL dialect everywhere: the same statements run on embedded PGlite and on a PostgreSQL server.
 * Callers see this small interface, never the driver.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A dedicated connection: session-level state (advisory locks) lives as long as the session. */
export interface SqlSession extends SqlExecutor {
  /** Runs several statements separated by `;` without parameters (schema migrations). */
  exec(script: string): Promise<void>;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface SqlClient extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /** Holds one connection for the whole of `work`. */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for each NOTIFY on `channel` until the returned function is called. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SQL_CLIENT');
