import { Client } from 'pg';
import type { SqlClient, SqlExecutor, SqlSession } from '@lib/platform/sql/sql-client';

/**
 * Counts the SQL statements the service sends, until `stop()`. On the server at the driver (every
 * `pg` client's `query` in this process: BEGIN and COMMIT too, and the sessions the projection runners hold
 * for their lifetime); on PGlite through its one SqlClient (queries, statements inside transactions and
 * sessions, a transaction's BEGIN and COMMIT as one each), by wrapping the instance's methods. `exec`
 * scripts count once.
 */
export class SqlStatementCounter {
  private counts = { query: 0, inTransaction: 0, transactions: 0, inSession: 0 };
  /** Statements by their text's start (whitespace folded), for a profile of what is sent most. */
  private texts = new Map<string, number>();
  /** Every statement's text start, in order, while `recordSequence()` is on. */
  private sequence: string[] | undefined;
  private readonly restore: () => void;

  constructor(sql: SqlClient) {
    if (sql.kind === 'postgres') {
      const driverQuery = Client.prototype.query;
      const self = this;
      Client.prototype.query = function (this: Client, ...args: unknown[]) {
        self.counts.query++;
        const first = args[0] as string | { text?: string };
        self.note(typeof first === 'string' ? first : first?.text);
        return (driverQuery as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof Client.prototype.query;
      this.restore = () => {
        Client.prototype.query = driverQuery;
      };
      return;
    }
    const { query, transaction, withSession } = sql;
    const counts = () => this.counts;
    const note = (text: unknown) => this.note(text);
    const countingExecutor = <T extends SqlExecutor>(executor: T, into: 'inTransaction' | 'inSession'): T =>
      new Proxy(executor, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (property === 'query' && typeof value === 'function') {
            return (...args: unknown[]) => {
              counts()[into]++;
              note(args[0]);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          if (property === 'transaction' && typeof value === 'function') {
            return (work: (tx: SqlExecutor) => Promise<unknown>) => {
              counts().transactions++;
              return (value as SqlSession['transaction']).call(target, (tx) =>
                work(countingExecutor(tx, 'inTransaction')),
              );
            };
          }
          return value;
        },
      });
    sql.query = ((text: string, params?: readonly unknown[]) => {
      this.counts.query++;
      note(text);
      return query.call(sql, text, params);
    }) as SqlClient['query'];
    sql.transaction = ((work: (tx: SqlExecutor) => Promise<unknown>) => {
      this.counts.transactions++;
      return transaction.call(sql, (tx) => work(countingExecutor(tx, 'inTransaction')));
    }) as SqlClient['transaction'];
    sql.withSession = ((work: (session: SqlSession) => Promise<unknown>) =>
      withSession.call(sql, (session) => work(countingExecutor(session, 'inSession')))) as SqlClient['withSession'];
    this.restore = () => {
      sql.query = query;
      sql.transaction = transaction;
      sql.withSession = withSession;
    };
  }

  /** Statements since the last take: by where they were sent, and `all` (BEGIN and COMMIT included). */
  take(): Record<string, number> {
    const { query, inTransaction, transactions, inSession } = this.counts;
    this.counts = { query: 0, inTransaction: 0, transactions: 0, inSession: 0 };
    return { query, inTransaction, transactions, inSession, all: query + inTransaction + inSession + 2 * transactions };
  }

  /** A statement's key in the counts: the start of its text, whitespace folded (and of a long one's WHERE). */
  static keyOf(text: unknown): string {
    const whole = String(text).replace(/\s+/g, ' ').trim();
    // Statements sharing a long column list (the event store's reads of a stream and of the log) differ after it.
    const where = whole.indexOf(' WHERE ');
    return where > 60 ? `${whole.slice(0, 50)} … ${whole.slice(where + 1, where + 61)}` : whole.slice(0, 90);
  }

  private note(text: unknown): void {
    const key = SqlStatementCounter.keyOf(text);
    this.texts.set(key, (this.texts.get(key) ?? 0) + 1);
    this.sequence?.push(key);
  }

  /** From now on, every statement is also kept in order, until `takeSequence()`. */
  recordSequence(): void {
    this.sequence = [];
  }

  takeSequence(): string[] {
    const sequence = this.sequence ?? [];
    this.sequence = undefined;
    return sequence;
  }

  /** The `limit` statements sent most since the last `takeTexts()`, by the start of their text (and of a long one's WHERE). */
  takeTexts(limit: number): { statement: string; count: number }[] {
    const top = [...this.texts]
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([statement, count]) => ({ statement, count }));
    this.texts = new Map();
    return top;
  }

  stop(): void {
    this.restore();
  }
}
