import { createHash } from 'node:crypto';
import type { SqlClient, SqlSession } from '@lib/platform/sql/sql-client';

/** Advisory lock class for projections (two-int form, apart from the event store's one-bigint stream locks). */
const PROJECTION_LOCK_CLASS = 73_451;

function lockKey(projection: string): [number, number] {
  return [PROJECTION_LOCK_CLASS, createHash('sha256').update(projection).digest().readInt32BE(0)];
}

interface OpenSession {
  session: SqlSession;
  close: () => void;
  /** Settles when the session has been handed back. */
  closed: Promise<unknown>;
}

/**
 * The projections' advisory locks of one process on one database, all held on one session: a runner needs its
 * lock, not a connection of its own, so seventeen runners hold one connection of the pool instead of seventeen
 * (they left three of twenty for every request). The runners' batches go through the pool.
 *
 * Locks on one session are re-entrant, so two runners of one projection in one process would both get it: this
 * keeps the names held here too and refuses a second. The session is opened with the first lock and handed back
 * once none is held; a failed statement drops it (the server then frees its locks), and the next lock opens
 * another. A lock lost with its session is not noticed by its runner until its next compare-and-set of the
 * checkpoint fails against the runner that took over; the lock saves work, the compare-and-set keeps the
 * projection right.
 */
export class ProjectionLocks {
  private readonly held = new Set<string>();
  private open: Promise<OpenSession> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly sql: SqlClient) {}

  /** Takes the projection's lock for this process, or returns false when it is held here or by another process. */
  tryLock(projection: string): Promise<boolean> {
    return this.serially(async () => {
      if (this.held.has(projection)) return false;
      const locked = await this.statement<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        lockKey(projection),
      );
      if (locked[0]?.locked !== true) {
        await this.closeWhenIdle();
        return false;
      }
      this.held.add(projection);
      return true;
    });
  }

  /** Lets go of the projection's lock (a failure only means the session is dropped, which frees it too). */
  unlock(projection: string): Promise<void> {
    return this.serially(async () => {
      if (!this.held.delete(projection)) return;
      await this.statement('SELECT pg_advisory_unlock($1, $2)', lockKey(projection)).catch(() => undefined);
      await this.closeWhenIdle();
    });
  }

  /** One lock operation at a time: opening and closing the session never race. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async statement<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    const open = await this.session();
    try {
      return await open.session.query<Row>(text, params);
    } catch (error) {
      // Whatever this session held is gone with it (the server frees a closed session's locks).
      this.held.clear();
      await this.close();
      throw error;
    }
  }

  private session(): Promise<OpenSession> {
    if (!this.open) {
      let close: () => void = () => undefined;
      const handedBack = new Promise<void>((release) => {
        close = release;
      });
      let given: (session: SqlSession) => void = () => undefined;
      const session = new Promise<SqlSession>((resolve) => {
        given = resolve;
      });
      const closed = this.sql.withSession(async (opened) => {
        given(opened);
        await handedBack;
      });
      const ended = closed.then(() => {
        throw new Error("The projection locks' session ended before it opened");
      });
      const opening = Promise.race([session, ended]).then((opened) => ({
        session: opened,
        close,
        closed: closed.catch(() => undefined),
      }));
      ended.catch(() => undefined);
      opening.catch(() => {
        if (this.open === opening) this.open = undefined;
      });
      this.open = opening;
    }
    return this.open;
  }

  private async closeWhenIdle(): Promise<void> {
    if (this.held.size === 0) await this.close();
  }

  private async close(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    const session = await open.catch(() => undefined);
    if (!session) return;
    session.close();
    await session.closed;
  }
}

const shared = new WeakMap<SqlClient, ProjectionLocks>();

/** The one holder of projection locks for a database (by the client object). */
export function projectionLocksOf(sql: SqlClient): ProjectionLocks {
  let locks = shared.get(sql);
  if (!locks) {
    locks = new ProjectionLocks(sql);
    shared.set(sql, locks);
  }
  return locks;
}
