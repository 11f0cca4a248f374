import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { prepareValue } from 'pg/lib/utils';
import { isPreparable, isSchemaChange, spoilsPreparedName } from './prepared-statements';
import type { SqlClient, SqlExecutor, SqlSession } from './sql-client';

const { serialize } = protocol;
const DESCRIBE_PORTAL = serialize.describe({ type: 'P' });
const EXECUTE = serialize.execute({});
const SYNC = serialize.sync();
/** Prepared statements kept, the least recently used closed beyond this (the service sends a few hundred texts). */
const MAX_PREPARED_STATEMENTS = 1_000;
/** How long the plans of prepared statements are kept before every statement is prepared again. */
export const PGLITE_REPLAN_AFTER_MS = 60_000;

export interface PgliteSqlClientOptions {
  /** The clock for `PGLITE_REPLAN_AFTER_MS`, in milliseconds (tests). */
  now?: () => number;
}

interface BackendMessage {
  readonly name: string;
  readonly code?: string;
}

/**
 * Embedded PostgreSQL (WASM) in this process. It has a single backend, so a "session" is the database
 * itself; PGlite queues statements and runs a transaction's callback exclusively.
 *
 * A statement goes to the backend as one message (bind, describe, execute, sync) instead of PGlite's six, one after
 * the other (parse, then a describe for the parameters' types, then the rest), each a pass through the backend's
 * loop; and it is prepared once, by its text, the first time it is sent (a named statement, kept while it is among
 * the last `MAX_PREPARED_STATEMENTS` used), so the backend parses and plans it once instead of every time. The
 * parameters are serialised as the `pg` driver does on the server (untyped: the backend infers each type from the
 * statement, as it does for PGlite's own first step), so a statement gets the same values on both stores; rows are
 * parsed by PGlite's own parsers. Only data statements are prepared (`isPreparable`); schema changes (`exec`
 * scripts, CREATE, ALTER, DROP) close every prepared statement, so none can answer with a table as it was.
 *
 * Every statement is also prepared again once a minute (`PGLITE_REPLAN_AFTER_MS`). PostgreSQL keeps a prepared statement's
 * generic plan until something invalidates it; on the server autovacuum's ANALYZE does as tables grow, but PGlite
 * runs no autovacuum, so a plan made while a table was empty (a fresh database) would stay: a lookup by key of a
 * batch's rows, planned as a scan of the whole (then tiny) table, would scan it whole however large it grew. A
 * statement prepared again is planned for the tables as they are then (their current size: PGlite's tables have
 * no statistics of their own either).
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;

  /** Statement text → its prepared name, least recently used first. */
  private readonly prepared = new Map<string, string>();
  private preparedCount = 0;
  /** Close messages of the statements evicted, sent ahead of the next statement. */
  private closing: Uint8Array[] = [];
  private readonly now: () => number;
  /** When the statements prepared now began to be prepared (the last time all were closed). */
  private plannedSince: number;

  private constructor(
    private readonly db: PGlite,
    options: PgliteSqlClientOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.plannedSince = this.now();
  }

  /** `dataDir` undefined keeps the database in memory (tests); a path persists it. */
  static async open(dataDir?: string, options: PgliteSqlClientOptions = {}): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteSqlClient(db, options);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    await this.db._checkReady();
    // As PGlite's own query: after any transaction in progress, the statement alone, then the files synced.
    return this.db._runExclusiveTransaction(async () => {
      const rows = await this.statement<Row>(text, params);
      await this.db.syncToFs();
      return rows;
    });
  }

  async exec(script: string): Promise<void> {
    try {
      await this.db.exec(script);
    } finally {
      this.forgetAll();
    }
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // Inside PGlite's transaction (its BEGIN, COMMIT or ROLLBACK, and its exclusive hold) the statements take the
    // same one-message path; `tx` is that transaction's only way in, as PGlite's own `tx.query` would be.
    return this.db.transaction(async (tx) =>
      work({
        query: async <Row>(text: string, params: readonly unknown[] = []) => {
          if (tx.closed) throw new Error('Transaction is closed');
          return this.statement<Row>(text, params);
        },
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

  /** One extended-protocol round through the backend; a database error is thrown as PGlite throws it (`code` …). */
  private statement<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    return this.db._runExclusiveQuery(async () => {
      const now = this.now();
      if (now - this.plannedSince >= PGLITE_REPLAN_AFTER_MS) {
        this.forgetAll();
        this.plannedSince = now;
      }
      const schemaChange = isSchemaChange(text);
      const prepare = !schemaChange && isPreparable(text);
      const known = prepare ? this.prepared.get(text) : undefined;
      // The unnamed statement (name '') for the rest: it lasts until the next parse.
      const name = known ?? (prepare ? `kouza_${++this.preparedCount}` : '');
      const parts = this.closing;
      this.closing = [];
      if (known === undefined) parts.push(serialize.parse({ text, name }));
      else this.touch(text, known);
      parts.push(
        serialize.bind({ statement: name, values: params.map((value) => prepareValue(value)) }),
        DESCRIBE_PORTAL,
        EXECUTE,
        SYNC,
      );
      const messages = (await this.db.execProtocolStream(concat(parts), {
        syncToFs: false,
        throwOnError: false,
      })) as unknown as BackendMessage[];
      if (schemaChange) this.forgetAll();
      // Prepared even when a later step failed (the bind, the execution): the backend keeps it, so must we.
      else if (prepare && known === undefined && messages.some((message) => message.name === 'parseComplete')) {
        this.remember(text, name);
      }
      const error = messages.find((message) => message.name === 'error');
      if (error) {
        // A plan whose columns changed (only a schema change from outside this client could do it), or any error
        // that spoils a prepared name on the server too: the statement is prepared again next time.
        if (known !== undefined && spoilsPreparedName(error)) this.forget(text);
        throw error;
      }
      const [result] = parse.parseResults(messages as never, this.db.parsers);
      return (result?.rows ?? []) as Row[];
    });
  }

  private touch(text: string, name: string): void {
    this.prepared.delete(text);
    this.prepared.set(text, name);
  }

  private remember(text: string, name: string): void {
    this.prepared.set(text, name);
    if (this.prepared.size <= MAX_PREPARED_STATEMENTS) return;
    const [oldest] = this.prepared.keys();
    if (oldest !== undefined) this.forget(oldest);
  }

  private forgetAll(): void {
    for (const text of [...this.prepared.keys()]) this.forget(text);
  }

  private forget(text: string): void {
    const name = this.prepared.get(text);
    if (name === undefined) return;
    this.prepared.delete(text);
    this.closing.push(serialize.close({ type: 'S', name }));
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
