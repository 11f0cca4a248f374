import { Client, Pool, type PoolClient } from 'pg';
import { backoffDelay } from '../resilience/backoff';
import { canResendAfter, PreparedStatementNames, spoilsPreparedName } from './prepared-statements';
import type { SqlClient, SqlExecutor, SqlSession } from './sql-client';

async function inTransaction<T>(
  client: PoolClient | Client,
  names: PreparedStatementNames,
  work: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(executorOf(client, names, { resend: false }));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Data statements go as named statements: `pg` prepares each on a connection the first time it is sent there, so
 * the server parses and plans it once per connection, not every time. A name an error may have spoiled (a failed
 * parse, a plan whose columns changed) is not used again; outside a transaction the statement is sent again at
 * once when that is safe (it did not run).
 */
function executorOf(
  client: PoolClient | Client | Pool,
  names: PreparedStatementNames,
  { resend }: { resend: boolean },
): SqlExecutor {
  return {
    query: async <Row>(text: string, params: readonly unknown[] = []) => {
      const send = async () =>
        (await client.query({ text, values: params as unknown[], name: names.nameOf(text) })).rows as Row[];
      try {
        return await send();
      } catch (error) {
        if (!spoilsPreparedName(error)) throw error;
        names.renew(text);
        if (resend && canResendAfter(error)) return send();
        throw error;
      }
    },
  };
}

/** A PostgreSQL server through a `pg` pool (`DATABASE_URL`). */
export class PostgresSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly names = new PreparedStatementNames();

  constructor(
    private readonly connectionString: string,
    options: { max?: number; applicationName?: string } = {},
  ) {
    this.pool = new Pool({
      connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'kouza-link',
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return executorOf(this.pool, this.names, { resend: true }).query<Row>(text, params);
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, this.names, work);
    } finally {
      client.release();
    }
  }

  async withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await work({
        ...executorOf(client, this.names, { resend: false }),
        exec: async (script) => {
          await client.query(script);
        },
        transaction: (w) => inTransaction(client, this.names, w),
      });
    } finally {
      client.off('error', onError);
      // A session that failed may hold locks or be mid-transaction: destroy it rather than reuse it.
      client.release(broken ?? true);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN needs its own long-lived connection, outside the pool; it reconnects when dropped.
    let client: Client | undefined;
    let closed = false;
    const connect = async (attempt: number): Promise<void> => {
      if (closed) return;
      const next = new Client({ connectionString: this.connectionString, application_name: 'kouza-link-listen' });
      const reconnect = () => {
        if (closed || client !== next) return;
        client = undefined;
        void next.end().catch(() => undefined);
        setTimeout(() => void connect(attempt + 1), backoffDelay(attempt, { initialMs: 100, maxMs: 5_000 }));
      };
      next.on('error', reconnect);
      next.on('end', reconnect);
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      client = next;
      try {
        await next.connect();
        await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
        // Whatever was appended while disconnected is found by the caller's next poll.
        if (attempt > 0) onNotify('');
      } catch (error) {
        if (attempt === 0) {
          closed = true;
          await next.end().catch(() => undefined);
          throw error;
        }
        reconnect();
      }
    };
    await connect(0);
    return async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
