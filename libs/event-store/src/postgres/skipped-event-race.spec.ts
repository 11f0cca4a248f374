import { randomUUID } from 'node:crypto';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import { Client } from 'pg';
import type { RecordedEvent } from '../event-store.port';
import { canonicalTemplate } from '../hash-chain/event-hash';
import { anEvent } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';

/**
 * The race a PostgreSQL event log must survive: a slow transaction takes a LOWER global position, a fast
 * one takes a HIGHER position and commits first. A reader that trusts positions alone moves past the
 * high one and never sees the low one when it finally commits.
 */
describe('global log on a PostgreSQL server: a slow transaction holding a lower position', () => {
  let database: Awaited<ReturnType<typeof createTestSchema>>;
  let sql: PostgresSqlClient;
  let store: PostgresEventStore;
  let slow: Client;

  beforeAll(async () => {
    database = await createTestSchema();
    sql = new PostgresSqlClient(database.url);
    store = await PostgresEventStore.create(sql, { pollIntervalMs: 20 });
  });

  beforeEach(async () => {
    slow = new Client({ connectionString: database.url });
    await slow.connect();
  });

  afterEach(async () => {
    await slow.end();
  });

  afterAll(async () => {
    await sql.close();
    await database.drop();
  });

  /** Appends in an open transaction on its own connection and returns the commit for later. */
  async function beginSlowAppend(stream: string) {
    await slow.query('BEGIN');
    const event = anEvent('SlowEvent');
    const { rows } = await slow.query(
      `SELECT last_position::text AS position FROM es_append($1, 'no_stream', NULL, $2::jsonb)`,
      [stream, JSON.stringify([{ id: event.id, ...canonicalTemplate(event) }])],
    );
    return { position: Number(rows[0].position), commit: () => slow.query('COMMIT') };
  }

  it('is a real race: a reader trusting positions alone skips the slow event', async () => {
    const prefix = `naive${randomUUID().slice(0, 8)}`;
    const slowAppend = await beginSlowAppend(`${prefix}-slow`);
    const fast = await store.appendToStream(`${prefix}-fast`, [anEvent('FastEvent')], 'no_stream');
    expect(slowAppend.position).toBeLessThan(fast.position);

    const naiveRead = (after: number) =>
      sql.query<{ global_position: string; stream_name: string }>(
        `SELECT global_position::text, stream_name FROM es_events
          WHERE global_position > $1 AND stream_name LIKE $2 ORDER BY global_position`,
        [after, `${prefix}-%`],
      );
    const firstRead = await naiveRead(0);
    expect(firstRead.map((row) => row.stream_name)).toEqual([`${prefix}-fast`]);
    const naiveCheckpoint = Number(firstRead.at(-1)?.global_position);

    await slowAppend.commit();
    expect(await naiveRead(naiveCheckpoint)).toEqual([]); // the slow event is lost to this reader
  });

  it('readAll withholds the fast event until the slow one commits, then returns both in commit-safe order', async () => {
    const prefix = `race${randomUUID().slice(0, 8)}`;
    const slowAppend = await beginSlowAppend(`${prefix}-slow`);
    await store.appendToStream(`${prefix}-fast`, [anEvent('FastEvent')], 'no_stream');

    const filter = { streamPrefixes: [prefix] };
    const whileSlowOpen = await store.readAll(undefined, 1_000_000, filter);
    expect(whileSlowOpen.events).toEqual([]);

    await slowAppend.commit();
    // The horizon is the whole server's: another suite's transaction open on the same server (tests run side by
    // side) may hold it a moment longer. Until it passes, a read returns nothing, never the fast event alone.
    const deadline = Date.now() + 10_000;
    let afterCommit = await store.readAll(whileSlowOpen.checkpoint, 1_000_000, filter);
    while (afterCommit.events.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      afterCommit = await store.readAll(whileSlowOpen.checkpoint, 1_000_000, filter);
    }
    expect(afterCommit.events.map((event) => event.type)).toEqual(['SlowEvent', 'FastEvent']);
  });

  it('a live subscription receives the slow event and the fast one: nothing is skipped', async () => {
    const prefix = `live${randomUUID().slice(0, 8)}`;
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      filter: { streamPrefixes: [prefix] },
      onEvents: async (events) => {
        received.push(...events);
      },
    });
    try {
      await subscription.caughtUp;
      const slowAppend = await beginSlowAppend(`${prefix}-slow`);
      for (let i = 0; i < 5; i++) {
        await store.appendToStream(`${prefix}-fast-${i}`, [anEvent('FastEvent')], 'no_stream');
      }
      // Give the subscription time to poll several times while the slow transaction is still open.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toEqual([]);

      await slowAppend.commit();
      const deadline = Date.now() + 5_000;
      while (received.length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

      expect(received.map((event) => event.type)).toEqual(['SlowEvent', ...Array(5).fill('FastEvent')]);
      expect(new Set(received.map((event) => event.id)).size).toBe(6);
    } finally {
      await subscription.stop();
    }
  });

  it('resumes after the connection under the subscription is killed, losing and repeating nothing', async () => {
    const prefix = `drop${randomUUID().slice(0, 8)}`;
    const received: string[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll({
      filter: { streamPrefixes: [prefix] },
      backoff: { initialMs: 10, maxMs: 50 },
      onError: (error) => errors.push(error),
      onEvents: async (events) => {
        received.push(...events.map((event) => event.id));
      },
    });
    try {
      const first = anEvent();
      await store.appendToStream(`${prefix}-a`, [first], 'no_stream');
      const deadline = () => Date.now() + 5_000;
      let stop = deadline();
      while (received.length < 1 && Date.now() < stop) await new Promise((resolve) => setTimeout(resolve, 10));

      // Kill every other backend of this schema's pool: the subscription's reads fail until it reconnects.
      await slow.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name LIKE 'kouza-link%' AND pid <> pg_backend_pid() AND datname = current_database()
            AND query NOT LIKE '%pg_terminate_backend%'`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // the pool notices its dead idle clients
      const second = anEvent();
      await store.appendToStream(`${prefix}-b`, [second], 'no_stream');
      stop = deadline();
      while (received.length < 2 && Date.now() < stop) await new Promise((resolve) => setTimeout(resolve, 10));

      expect(received).toEqual([first.id, second.id]);
    } finally {
      await subscription.stop();
    }
  });
});
