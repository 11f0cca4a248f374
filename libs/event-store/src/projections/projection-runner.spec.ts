import { randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';
import { anEvent } from '../testing/event-store.contract';
import { checkpointMovesOf } from './checkpoint-moves';
import type { Projection } from './projection';
import { ProjectionCheckpointConflict } from './projection-checkpoints';
import { ProjectionRunner } from './projection-runner';

/** A read model made for these tests: how many events each stream has, and the last type seen. */
class StreamCounts implements Projection {
  readonly name: string;
  readonly filter: { streamPrefixes: string[] };
  readonly table: string;
  poison: string | undefined;

  constructor(readonly prefix: string) {
    this.name = `counts-${prefix}`;
    this.filter = { streamPrefixes: [prefix] };
    this.table = `rm_counts_${prefix}`;
  }

  async setUp(db: SqlExecutor) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (stream_name text PRIMARY KEY, events int NOT NULL, last_type text)`,
    );
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor) {
    for (const event of events) {
      await tx.query(
        `INSERT INTO ${this.table} VALUES ($1, 1, $2)
         ON CONFLICT (stream_name) DO UPDATE SET events = ${this.table}.events + 1, last_type = $2`,
        [event.streamName, event.type],
      );
      // Thrown after a write in the same transaction: the write must not survive.
      if (event.type === this.poison) throw new Error(`poisoned by ${event.type}`);
    }
  }

  async reset(tx: SqlExecutor) {
    await tx.query(`TRUNCATE ${this.table}`);
  }

  async rows(db: SqlExecutor) {
    return db.query<{ stream_name: string; events: number; last_type: string }>(
      `SELECT stream_name, events, last_type FROM ${this.table} ORDER BY stream_name`,
    );
  }
}

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const storedCheckpoint = async (sql: SqlExecutor, projection: string) =>
  (
    await sql.query<{ checkpoint: string | null }>(
      'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = $1',
      [projection],
    )
  )[0]?.checkpoint;

type Backend = { sql: SqlClient; store: PostgresEventStore; url?: string; cleanup: () => Promise<void> };

const backends: [string, () => Promise<Backend>][] = [
  [
    'embedded PGlite',
    async () => {
      const sql = await PgliteSqlClient.open();
      return { sql, store: await PostgresEventStore.create(sql, { pollIntervalMs: 20 }), cleanup: () => sql.close() };
    },
  ],
  [
    'a PostgreSQL server',
    async () => {
      const database = await createTestSchema();
      const sql = new PostgresSqlClient(database.url);
      return {
        sql,
        url: database.url,
        store: await PostgresEventStore.create(sql, { pollIntervalMs: 20 }),
        cleanup: async () => {
          await sql.close();
          await database.drop();
        },
      };
    },
  ],
];

describe.each(backends)('projection runner on %s', (_name, open) => {
  let backend: Backend;
  const fast = { standbyRetryMs: 20, backoff: { initialMs: 5, maxMs: 20 } };

  beforeAll(async () => {
    backend = await open();
  });
  afterAll(async () => {
    await backend.cleanup();
  });

  const newPrefix = () => `p${randomUUID().replaceAll('-', '').slice(0, 10)}`;

  it('projects history then live events, storing the checkpoint of the last event applied', async () => {
    const projection = new StreamCounts(newPrefix());
    const stream = `${projection.prefix}-a`;
    await backend.store.appendToStream(stream, [anEvent('One'), anEvent('Two')], 'no_stream');
    const runner = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    runner.start();
    try {
      const live = await backend.store.appendToStream(stream, [anEvent('Three')], 1);
      await runner.waitFor(live.checkpoint);
      expect(await projection.rows(backend.sql)).toEqual([{ stream_name: stream, events: 3, last_type: 'Three' }]);
      expect(await storedCheckpoint(backend.sql, projection.name)).toBe(live.checkpoint);
    } finally {
      await runner.stop();
    }
  });

  it('stores the moves of batches its filter emptied at most once per interval, the last one too', async () => {
    const projection = new StreamCounts(newPrefix());
    const counter = `${projection.prefix}_stores`;
    // A trigger counts the stores of this projection's checkpoint, in the database itself.
    await backend.sql.query(`CREATE TABLE ${counter} (n int NOT NULL)`);
    await backend.sql.query(`INSERT INTO ${counter} VALUES (0)`);
    await backend.sql.query(`CREATE FUNCTION ${counter}_fn() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.projection = '${projection.name}' THEN UPDATE ${counter} SET n = n + 1; END IF;
        RETURN NEW;
      END $$`);
    await backend.sql.query(
      `CREATE TRIGGER ${counter}_tr AFTER UPDATE ON es_projection_checkpoints FOR EACH ROW EXECUTE FUNCTION ${counter}_fn()`,
    );
    const stores = async () => (await backend.sql.query<{ n: number }>(`SELECT n FROM ${counter}`))[0]?.n ?? 0;
    const runner = new ProjectionRunner(backend.store, backend.sql, projection, {
      ...fast,
      emptyBatchCheckpointIntervalMs: 400,
    });
    runner.start();
    try {
      await runner.waitFor(
        (await backend.store.appendToStream(`other-${randomUUID()}`, [anEvent()], 'no_stream')).checkpoint,
      );
      const before = await stores();
      let last = '';
      for (let i = 0; i < 15; i++) {
        last = (await backend.store.appendToStream(`other-${randomUUID()}`, [anEvent()], 'no_stream')).checkpoint;
      }
      await runner.waitFor(last);
      expect(await storedCheckpoint(backend.sql, projection.name)).toBe(last);
      // Fifteen unwanted appends, one at a time: a handful of stores, not fifteen.
      expect((await stores()) - before).toBeLessThan(6);
      // A batch with events is stored with its effects at once, past the deferred move.
      const wanted = await backend.store.appendToStream(`${projection.prefix}-a`, [anEvent('Wanted')], 'no_stream');
      await runner.waitFor(wanted.checkpoint);
      expect(await storedCheckpoint(backend.sql, projection.name)).toBe(wanted.checkpoint);
      expect(await projection.rows(backend.sql)).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  });

  it('stores the moves its filters emptied for several runners of one database in one statement', async () => {
    const projections = Array.from({ length: 5 }, () => new StreamCounts(newPrefix()));
    const counter = `${projections[0]?.prefix}_statements`;
    // Triggers count, in the database itself, the statements and the rows that move these five checkpoints.
    await backend.sql.query(`CREATE TABLE ${counter} (statements int NOT NULL, moved int NOT NULL)`);
    await backend.sql.query(`INSERT INTO ${counter} VALUES (0, 0)`);
    const names = projections.map((p) => `'${p.name}'`).join(', ');
    await backend.sql.query(`CREATE FUNCTION ${counter}_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.projection IN (${names}) THEN UPDATE ${counter} SET moved = moved + 1; END IF;
        RETURN NEW;
      END $$`);
    await backend.sql.query(`CREATE FUNCTION ${counter}_statements() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM moved_rows WHERE projection IN (${names})) THEN
          UPDATE ${counter} SET statements = statements + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await backend.sql.query(
      `CREATE TRIGGER ${counter}_r AFTER UPDATE ON es_projection_checkpoints FOR EACH ROW EXECUTE FUNCTION ${counter}_rows()`,
    );
    await backend.sql.query(
      `CREATE TRIGGER ${counter}_s AFTER UPDATE ON es_projection_checkpoints REFERENCING NEW TABLE AS moved_rows
         FOR EACH STATEMENT EXECUTE FUNCTION ${counter}_statements()`,
    );
    const counts = async () =>
      (await backend.sql.query<{ statements: number; moved: number }>(`SELECT statements, moved FROM ${counter}`))[0];
    const runners = projections.map(
      (projection) =>
        new ProjectionRunner(backend.store, backend.sql, projection, { ...fast, emptyBatchCheckpointIntervalMs: 300 }),
    );
    for (const runner of runners) runner.start();
    try {
      const first = await backend.store.appendToStream(`other-${randomUUID()}`, [anEvent()], 'no_stream');
      await Promise.all(runners.map((runner) => runner.waitFor(first.checkpoint)));
      const before = await counts();
      let last = '';
      for (let i = 0; i < 10; i++) {
        last = (await backend.store.appendToStream(`other-${randomUUID()}`, [anEvent()], 'no_stream')).checkpoint;
      }
      await Promise.all(runners.map((runner) => runner.waitFor(last)));
      for (const projection of projections) {
        expect(await storedCheckpoint(backend.sql, projection.name)).toBe(last);
      }
      const after = await counts();
      const moved = (after?.moved ?? 0) - (before?.moved ?? 0);
      const statements = (after?.statements ?? 0) - (before?.statements ?? 0);
      // Every runner moved its own row (each at least once), and the moves went in together: one runner's
      // stores alone (a leading and a trailing one) would be two statements, five runners' ten.
      expect(moved).toBeGreaterThanOrEqual(5);
      expect(statements).toBeLessThan(moved);
      expect(statements).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
  });

  it('fails only the runner whose checkpoint moved under it when moves are stored together', async () => {
    const [mine, theirs] = [new StreamCounts(newPrefix()), new StreamCounts(newPrefix())];
    for (const p of [mine, theirs]) {
      await backend.sql.query('INSERT INTO es_projection_checkpoints (projection, checkpoint) VALUES ($1, $2)', [
        p.name,
        '0001',
      ]);
    }
    const moves = checkpointMovesOf(backend.sql, 0);
    const results = await Promise.allSettled([
      moves.store(mine.name, '0001', '0005'),
      moves.store(theirs.name, '0000', '0005'),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: undefined });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(ProjectionCheckpointConflict) });
    expect(await storedCheckpoint(backend.sql, mine.name)).toBe('0005');
    expect(await storedCheckpoint(backend.sql, theirs.name)).toBe('0001');
  });

  it('moves its checkpoint past events its filter does not want, so waiting on them returns', async () => {
    const projection = new StreamCounts(newPrefix());
    const runner = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    runner.start();
    try {
      const unrelated = await backend.store.appendToStream(`other-${randomUUID()}`, [anEvent()], 'no_stream');
      await runner.waitFor(unrelated.checkpoint);
      expect(await projection.rows(backend.sql)).toEqual([]);
    } finally {
      await runner.stop();
    }
  });

  it('never commits half a batch: a failure rolls back the rows and the checkpoint together', async () => {
    const projection = new StreamCounts(newPrefix());
    projection.poison = 'Poison';
    const stream = `${projection.prefix}-a`;
    const good = await backend.store.appendToStream(stream, [anEvent('Good')], 'no_stream');
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(backend.store, backend.sql, projection, {
      ...fast,
      onError: (error) => errors.push(error),
    });
    runner.start();
    try {
      await runner.waitFor(good.checkpoint);
      const poisoned = await backend.store.appendToStream(stream, [anEvent('Poison')], 0);
      await eventually(async () => expect(errors.length).toBeGreaterThanOrEqual(2));
      expect(await projection.rows(backend.sql)).toEqual([{ stream_name: stream, events: 1, last_type: 'Good' }]);
      expect(await storedCheckpoint(backend.sql, projection.name)).toBe(good.checkpoint);

      projection.poison = undefined; // the bug is fixed: the runner retries and applies it exactly once
      await runner.waitFor(poisoned.checkpoint);
      expect(await projection.rows(backend.sql)).toEqual([{ stream_name: stream, events: 2, last_type: 'Poison' }]);
    } finally {
      await runner.stop();
    }
  });

  it('resumes exactly where it stopped after a restart', async () => {
    const projection = new StreamCounts(newPrefix());
    const stream = `${projection.prefix}-a`;
    const first = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    first.start();
    await first.waitFor((await backend.store.appendToStream(stream, [anEvent(), anEvent()], 'no_stream')).checkpoint);
    await first.stop();

    const whileStopped = await backend.store.appendToStream(stream, [anEvent(), anEvent(), anEvent()], 1);
    const second = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    second.start();
    try {
      await second.waitFor(whileStopped.checkpoint);
      expect((await projection.rows(backend.sql))[0]?.events).toBe(5);
    } finally {
      await second.stop();
    }
  });

  it('rebuilds from zero to exactly what it built live', async () => {
    const projection = new StreamCounts(newPrefix());
    const runner = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    runner.start();
    let last = '';
    for (let i = 0; i < 20; i++) {
      const stream = `${projection.prefix}-${i % 4}`;
      last = (await backend.store.appendToStream(stream, [anEvent(`T${i}`)], 'any')).checkpoint;
    }
    await runner.waitFor(last);
    await runner.stop();
    const live = await projection.rows(backend.sql);
    await backend.sql.query(`UPDATE ${projection.table} SET events = 999`); // damage it

    const rebuilder = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    await rebuilder.rebuild();

    expect(await projection.rows(backend.sql)).toEqual(live);
    expect(live.reduce((sum, row) => sum + row.events, 0)).toBe(20);
  });

  it('holds the locks of all its runners on one connection, leaving the rest of the pool to the batches', async () => {
    if (!backend.url) return; // PGlite has one session for everything.
    // A pool of 3 and 6 runners: with a connection each, three runners would wait for one for ever.
    const application = `locks-${randomUUID().slice(0, 8)}`;
    const sql = new PostgresSqlClient(backend.url, { max: 3, applicationName: application });
    const projections = Array.from({ length: 6 }, () => new StreamCounts(newPrefix()));
    const runners = projections.map((projection) => new ProjectionRunner(backend.store, sql, projection, fast));
    try {
      for (const runner of runners) runner.start();
      await eventually(async () =>
        expect(runners.map((runner) => runner.currentRole)).toEqual(projections.map(() => 'active')),
      );
      const appended = await Promise.all(
        projections.map((projection) =>
          backend.store.appendToStream(`${projection.prefix}-a`, [anEvent()], 'no_stream'),
        ),
      );
      await Promise.all(
        runners.map((runner, index) => runner.waitFor((appended[index] as { checkpoint: string }).checkpoint)),
      );
      for (const projection of projections) expect((await projection.rows(backend.sql))[0]?.events).toBe(1);
      // Six projection locks, one session.
      const [held] = await backend.sql.query<{ sessions: string; locks: string }>(
        `SELECT count(DISTINCT l.pid)::text AS sessions, count(*)::text AS locks
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.classid = 73451 AND a.application_name = $1`,
        [application],
      );
      expect(held).toEqual({ sessions: '1', locks: '6' });
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await sql.close();
    }
  });

  it('takes its lock again on a new session when the one holding the locks is cut', async () => {
    if (!backend.url) return;
    const application = `cut-${randomUUID().slice(0, 8)}`;
    const sql = new PostgresSqlClient(backend.url, { max: 3, applicationName: application });
    const projection = new StreamCounts(newPrefix());
    const runner = new ProjectionRunner(backend.store, sql, projection, fast);
    const lockHolders = () =>
      backend.sql.query<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.classid = 73451 AND a.application_name = $1`,
        [application],
      );
    try {
      runner.start();
      await eventually(async () => expect(await lockHolders()).toHaveLength(1));
      const [first] = await lockHolders();
      await backend.sql.query('SELECT pg_terminate_backend($1)', [first?.pid]);
      // Another process takes the free lock and moves the checkpoint: this runner's next batch conflicts, and
      // it comes back for its lock on a new session once the other lets go.
      const other = new PostgresSqlClient(backend.url);
      const rival = new ProjectionRunner(backend.store, other, projection, fast);
      rival.start();
      await eventually(async () => expect(rival.currentRole).toBe('active'));
      const appended = await backend.store.appendToStream(`${projection.prefix}-a`, [anEvent()], 'no_stream');
      await rival.waitFor(appended.checkpoint);
      await rival.stop();
      await other.close();
      const again = await backend.store.appendToStream(`${projection.prefix}-a`, [anEvent()], 0);
      await runner.waitFor(again.checkpoint);
      expect((await projection.rows(backend.sql))[0]?.events).toBe(2);
      const [now] = await lockHolders();
      expect(now?.pid).not.toBe(first?.pid);
    } finally {
      await runner.stop();
      await sql.close();
    }
  });

  it('keeps one active runner per projection; a standby takes over from the checkpoint when it stops', async () => {
    if (!backend.url) {
      // PGlite lives in one process; this pins the in-process guard that stands in for the lock there.
      const projection = new StreamCounts(newPrefix());
      const a = new ProjectionRunner(backend.store, backend.sql, projection, fast);
      const b = new ProjectionRunner(backend.store, backend.sql, projection, fast);
      a.start();
      await eventually(async () => expect(a.currentRole).toBe('active'));
      b.start();
      await eventually(async () => expect(b.currentRole).toBe('standby'));
      await a.stop();
      await eventually(async () => expect(b.currentRole).toBe('active'));
      await b.stop();
      return;
    }
    // Two pools stand for two processes: their advisory locks live in different sessions.
    const otherProcess = new PostgresSqlClient(backend.url);
    const projection = new StreamCounts(newPrefix());
    const stream = `${projection.prefix}-a`;
    const a = new ProjectionRunner(backend.store, backend.sql, projection, fast);
    const b = new ProjectionRunner(backend.store, otherProcess, projection, fast);
    try {
      a.start();
      await eventually(async () => expect(a.currentRole).toBe('active'));
      b.start();
      await eventually(async () => expect(b.currentRole).toBe('standby'));
      let last = await backend.store.appendToStream(stream, [anEvent(), anEvent()], 'no_stream');
      await a.waitFor(last.checkpoint);

      await a.stop();
      await eventually(async () => expect(b.currentRole).toBe('active'));
      last = await backend.store.appendToStream(stream, [anEvent()], 1);
      await b.waitFor(last.checkpoint);
      expect((await projection.rows(backend.sql))[0]?.events).toBe(3);
    } finally {
      await a.stop();
      await b.stop();
      await otherProcess.close();
    }
  });
});
