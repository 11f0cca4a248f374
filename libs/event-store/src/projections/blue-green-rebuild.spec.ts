import { randomUUID } from 'node:crypto';
import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { anEvent } from '../testing/event-store.contract';
import { BlueGreenRebuild, type RebuildProgress, RebuildAlreadyRunningError, unionOf } from './blue-green-rebuild';
import { ProjectionRunner } from './projection-runner';
import { storedProjectionCheckpoint } from './projection-lag';
import type { RebuildableProjection } from './rebuildable-projection';

/** A read model made for these tests: per stream, how many events and the sum of their `n`. */
class StreamTotals implements RebuildableProjection {
  readonly name: string;
  readonly filter: { streamPrefixes: string[] };
  readonly tables: readonly string[];
  readonly table: string;

  constructor(
    readonly prefix: string,
    private readonly suffix = '',
  ) {
    this.name = `totals-${prefix}`;
    this.filter = { streamPrefixes: [prefix] };
    this.table = `rm_totals_${prefix}${suffix}`;
    this.tables = [this.table];
  }

  withTableSuffix(suffix: string): StreamTotals {
    return new StreamTotals(this.prefix, `${this.suffix}${suffix}`);
  }

  async setUp(db: SqlExecutor) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (stream_name text PRIMARY KEY, events int NOT NULL, total int NOT NULL)`,
    );
    await db.query(`CREATE INDEX IF NOT EXISTS ${this.table}_total_idx ON ${this.table} (total)`);
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor) {
    for (const event of events) {
      const n = (event.data as { n: number }).n;
      await tx.query(
        `INSERT INTO ${this.table} AS t VALUES ($1, 1, $2)
         ON CONFLICT (stream_name) DO UPDATE SET events = t.events + 1, total = t.total + $2`,
        [event.streamName, n],
      );
    }
  }

  async reset(tx: SqlExecutor) {
    await tx.query(`TRUNCATE ${this.table}`);
  }

  rows(db: SqlExecutor) {
    return db.query<{ stream_name: string; events: number; total: number }>(
      `SELECT stream_name, events, total FROM ${this.table} ORDER BY stream_name`,
    );
  }
}

async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
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

const tablesLike = async (sql: SqlExecutor, prefix: string) =>
  (
    await sql.query<{ name: string }>(
      `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1 ORDER BY 1`,
      [`${prefix}%`],
    )
  ).map((row) => row.name);

const indexesOf = async (sql: SqlExecutor, table: string) =>
  (
    await sql.query<{ name: string }>(
      `SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY 1`,
      [table],
    )
  ).map((row) => row.name);

/** Each index's columns, as PostgreSQL gives its definition (a rebuild drops the secondary ones and builds them again). */
const indexColumnsOf = async (sql: SqlExecutor, table: string) =>
  (
    await sql.query<{ definition: string }>(
      `SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname`,
      [table],
    )
  ).map((row) => row.definition.replace(/^.* USING /, ''));

describe.each(SQL_BACKENDS)('blue/green rebuild of a projection on $name', (backend) => {
  let sql: SqlClient;
  let store: PostgresEventStore;
  let dispose: () => Promise<void>;
  const fast = { standbyRetryMs: 20, backoff: { initialMs: 5, maxMs: 20 } };

  beforeAll(async () => {
    const opened = await backend.open();
    sql = opened.sql;
    dispose = opened.dispose;
    store = await PostgresEventStore.create(sql, { pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await dispose();
  });

  const newPrefix = () => `p${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const append = (stream: string, n: number) => store.appendToStream(stream, [anEvent('Counted', { n })], 'any');

  /** What the read model must hold after these appends, computed without it. */
  const expected = (appended: readonly { stream: string; n: number }[]) => {
    const byStream = new Map<string, { stream_name: string; events: number; total: number }>();
    for (const { stream, n } of appended) {
      const row = byStream.get(stream) ?? { stream_name: stream, events: 0, total: 0 };
      row.events += 1;
      row.total += n;
      byStream.set(stream, row);
    }
    return [...byStream.values()].sort((a, b) => (a.stream_name < b.stream_name ? -1 : 1));
  };

  it('builds beside the live tables, swaps them in, and live resumes from the rebuilt checkpoint', async () => {
    const projection = new StreamTotals(newPrefix());
    const appended: { stream: string; n: number }[] = [];
    const write = async (i: number) => {
      const stream = `${projection.prefix}-${i % 7}`;
      appended.push({ stream, n: i });
      return append(stream, i);
    };
    const runner = new ProjectionRunner(store, sql, projection, fast);
    runner.start();
    try {
      let last = '';
      for (let i = 0; i < 150; i++) last = (await write(i)).checkpoint;
      await runner.waitFor(last);
      await sql.query(`UPDATE ${projection.table} SET total = -1`); // damage live: the rebuild must not copy it

      const reports: RebuildProgress[] = [];
      // Live keeps serving and projecting while the rebuild runs: writes go on meanwhile.
      const writing = (async () => {
        for (let i = 150; i < 250; i++) await write(i);
      })();
      const result = await new BlueGreenRebuild(store, sql, projection, {
        batchSize: 20,
        progressIntervalMs: 0,
        onProgress: (progress) => reports.push(progress),
      }).run();
      await writing;

      expect(result.phase).toBe('done');
      expect(result.checkpoint).toBeDefined();
      expect(reports.map((report) => report.phase)).toEqual(expect.arrayContaining(['copying', 'swapping', 'done']));
      expect(reports.some((report) => report.eventsPerSecond > 0)).toBe(true);
      expect(reports.at(-1)).toMatchObject({ fraction: 1, etaSeconds: 0 });
      expect(await tablesLike(sql, `rm_totals_${projection.prefix}`)).toEqual([projection.table]);
      expect(await indexesOf(sql, projection.table)).toEqual([
        `${projection.table}_pkey`,
        `${projection.table}_total_idx`,
      ]);
      expect(await indexColumnsOf(sql, projection.table)).toEqual(['btree (stream_name)', 'btree (total)']);

      // After the swap, live carries on from the rebuilt checkpoint: every event counted exactly once.
      for (let i = 250; i < 260; i++) last = (await write(i)).checkpoint;
      await eventually(async () => {
        expect((await storedProjectionCheckpoint(sql, projection.name)) ?? '').toBe(last);
      });
      expect(await projection.rows(sql)).toEqual(expected(appended));
    } finally {
      await runner.stop();
    }
  });

  it('gives exactly what live built, and can run again (its index names are free again)', async () => {
    const projection = new StreamTotals(newPrefix());
    const runner = new ProjectionRunner(store, sql, projection, fast);
    runner.start();
    try {
      let last = '';
      for (let i = 0; i < 60; i++) last = (await append(`${projection.prefix}-${i % 5}`, i)).checkpoint;
      await runner.waitFor(last);
      const live = await projection.rows(sql);
      await new BlueGreenRebuild(store, sql, projection).run();
      expect(await projection.rows(sql)).toEqual(live);
      await new BlueGreenRebuild(store, sql, projection).run();
      expect(await projection.rows(sql)).toEqual(live);
      expect(live.reduce((sum, row) => sum + row.events, 0)).toBe(60);
    } finally {
      await runner.stop();
    }
  });

  it('builds a read model that live never ran, and sets its checkpoint', async () => {
    const projection = new StreamTotals(newPrefix());
    const last = await append(`${projection.prefix}-a`, 5);
    await new BlueGreenRebuild(store, sql, projection).run();
    expect(await projection.rows(sql)).toEqual([{ stream_name: `${projection.prefix}-a`, events: 1, total: 5 }]);
    expect(await storedProjectionCheckpoint(sql, projection.name)).toBeDefined();
    expect((await storedProjectionCheckpoint(sql, projection.name)) ?? '').not.toBe('');
    expect(((await storedProjectionCheckpoint(sql, projection.name)) ?? '') >= last.checkpoint).toBe(true);
  });

  it('runs one rebuild of a projection at a time', async () => {
    const projection = new StreamTotals(newPrefix());
    for (let i = 0; i < 30; i++) await append(`${projection.prefix}-a`, i);
    const first = new BlueGreenRebuild(store, sql, projection, { batchSize: 1 }).run();
    await expect(new BlueGreenRebuild(store, sql, projection).run()).rejects.toBeInstanceOf(RebuildAlreadyRunningError);
    await first;
    expect((await projection.rows(sql))[0]?.events).toBe(30);
  });

  it('rebuilds several read models in one pass over the log and swaps them in together', async () => {
    const first = new StreamTotals(newPrefix());
    const second = new StreamTotals(newPrefix());
    const appended: { stream: string; n: number }[] = [];
    const write = async (i: number) => {
      const stream = `${(i % 3 === 0 ? first : second).prefix}-${i % 5}`;
      appended.push({ stream, n: i });
      return append(stream, i);
    };
    const runners = [first, second].map((projection) => new ProjectionRunner(store, sql, projection, fast));
    for (const runner of runners) runner.start();
    try {
      let last = '';
      for (let i = 0; i < 90; i++) last = (await write(i)).checkpoint;
      for (const runner of runners) await runner.waitFor(last);
      await sql.query(`UPDATE ${first.table} SET total = -1`);
      await sql.query(`UPDATE ${second.table} SET total = -1`);

      const reports: RebuildProgress[] = [];
      const writing = (async () => {
        for (let i = 90; i < 150; i++) await write(i);
      })();
      const result = await new BlueGreenRebuild(store, sql, [first, second], {
        batchSize: 10,
        progressIntervalMs: 0,
        onProgress: (progress) => reports.push(progress),
      }).run();
      await writing;

      expect(result).toMatchObject({ phase: 'done', projection: `${first.name},${second.name}` });
      const [firstApplied, secondApplied] = result.readModels?.map((model) => model.eventsApplied) ?? [];
      expect(firstApplied).toBeGreaterThanOrEqual(30);
      expect(secondApplied).toBeGreaterThanOrEqual(60);
      expect(result.eventsApplied).toBe((firstApplied ?? 0) + (secondApplied ?? 0));
      expect(reports.map((report) => report.phase)).toEqual(expect.arrayContaining(['copying', 'swapping', 'done']));
      // Both checkpoints moved to the one the pass reached.
      expect(await storedProjectionCheckpoint(sql, first.name)).toBeDefined();
      for (const projection of [first, second]) {
        expect(await tablesLike(sql, `rm_totals_${projection.prefix}`)).toEqual([projection.table]);
      }

      for (let i = 150; i < 160; i++) last = (await write(i)).checkpoint;
      for (const projection of [first, second]) {
        await eventually(async () => {
          expect((await storedProjectionCheckpoint(sql, projection.name)) ?? '').toBe(last);
        });
      }
      const all = expected(appended);
      expect(await first.rows(sql)).toEqual(all.filter((row) => row.stream_name.startsWith(first.prefix)));
      expect(await second.rows(sql)).toEqual(all.filter((row) => row.stream_name.startsWith(second.prefix)));
    } finally {
      for (const runner of runners) await runner.stop();
    }
  });

  it('refuses a pass over a read model whose rebuild is running, and leaves that rebuild its tables', async () => {
    const busy = new StreamTotals(newPrefix());
    const other = new StreamTotals(newPrefix());
    for (let i = 0; i < 30; i++) await append(`${busy.prefix}-a`, i);
    const running = new BlueGreenRebuild(store, sql, busy, { batchSize: 1 }).run();
    await expect(new BlueGreenRebuild(store, sql, [other, busy]).run()).rejects.toBeInstanceOf(
      RebuildAlreadyRunningError,
    );
    await running;
    expect((await busy.rows(sql))[0]?.events).toBe(30);
    expect(await tablesLike(sql, `rm_totals_${other.prefix}`)).toEqual([]);
  });

  it('does not take the same read model twice in one pass', () => {
    const projection = new StreamTotals(newPrefix());
    expect(() => new BlueGreenRebuild(store, sql, [projection, projection])).toThrow(/named twice/);
    expect(() => new BlueGreenRebuild(store, sql, [])).toThrow(/at least one/);
  });
});

describe('the one read of a pass over several read models', () => {
  it('is the union of their filters where one filter can say it, else everything', () => {
    expect(unionOf([{ eventTypes: ['A'] }])).toEqual({ eventTypes: ['A'] });
    expect(unionOf([{ eventTypes: ['A', 'B'] }, { eventTypes: ['B', 'C'] }])).toEqual({ eventTypes: ['A', 'B', 'C'] });
    expect(unionOf([{ streamPrefixes: ['link-'] }, { streamPrefixes: ['debit-'] }])).toEqual({
      streamPrefixes: ['link-', 'debit-'],
    });
    expect(unionOf([{ eventTypes: ['A'] }, { streamPrefixes: ['link-'] }])).toBeUndefined();
    expect(unionOf([{ eventTypes: ['A'], streamPrefixes: ['link-'] }, { eventTypes: ['B'] }])).toBeUndefined();
    expect(unionOf([{ eventTypes: ['A'] }, undefined])).toBeUndefined();
  });
});
