import { createHash, randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresSqlClient } from '@lib/platform/sql/postgres-sql-client';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { createTestSchema } from '@lib/platform/sql/testing/test-database';
import canonicalize from 'canonicalize';
import type { RecordedEvent } from '../event-store.port';
import { chainLegacyStreams, HASH_CHAIN_MIGRATION_STREAM } from './chain-legacy-streams';
import { PostgresEventStore } from './postgres-event-store';

/** API.md's formula, recomputed with the library and node:crypto, not the code under test. */
function expectChained(events: readonly RecordedEvent[]): void {
  let previous = '0'.repeat(64);
  for (const event of events) {
    const { hash, ...withoutHash } = event.metadata;
    expect(withoutHash.previousHash).toBe(previous);
    const text = `${previous}.${canonicalize({ type: event.type, data: event.data, metadata: withoutHash })}`;
    expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    previous = hash as string;
  }
}

const metadata = () => ({
  actor: { type: 'system' as const, id: 'legacy-writer' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: '2025-01-01T00:00:00.000Z',
});

/** Rows as the writer before the hash chain left them: metadata without previousHash or hash. */
async function writeLegacy(sql: SqlClient, stream: string, count: number): Promise<void> {
  for (let revision = 0; revision < count; revision++) {
    await sql.query(
      `INSERT INTO es_events (transaction_id, stream_name, revision, event_id, event_type, data, metadata, recorded_at)
       VALUES (pg_current_xact_id(), $1, $2, $3, 'LegacyThing', $4::jsonb, $5::jsonb, now())`,
      [stream, revision, randomUUID(), JSON.stringify({ revision, name: '山田 太郎' }), JSON.stringify(metadata())],
    );
  }
}

const anEvent = (type: string) => ({ id: randomUUID(), type, data: { n: 1 }, metadata: metadata() });

describe.each([
  [
    'embedded PGlite',
    async () => {
      const sql = await PgliteSqlClient.open();
      return { sql, cleanup: () => sql.close() };
    },
  ],
  [
    'a PostgreSQL server',
    async () => {
      const database = await createTestSchema();
      const sql = new PostgresSqlClient(database.url, { max: 5 });
      return {
        sql,
        cleanup: async () => {
          await sql.close();
          await database.drop();
        },
      };
    },
  ],
])('chaining the history written before the hash chain, on %s', (_name, open) => {
  let sql: SqlClient;
  let store: PostgresEventStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ sql, cleanup } = await open());
    store = await PostgresEventStore.create(sql);
  }, 60_000);
  afterAll(() => cleanup());

  it('leaves a legacy stream unchained on append, then chains it whole, recorded as an event, resumably', async () => {
    const [a, b, c] = [`legacy-${randomUUID()}`, `legacy-${randomUUID()}`, `legacy-${randomUUID()}`];
    await writeLegacy(sql, a, 3);
    await writeLegacy(sql, b, 2);
    await writeLegacy(sql, c, 1);
    // An append to a legacy stream before the migration: unchained too, so no chain starts mid-stream.
    await store.appendToStream(a, [anEvent('AfterUpgrade')], 2);
    expect((await store.readStream(a))[3]?.metadata).not.toHaveProperty('hash');

    // Interrupted after its first stream: whatever is left stays for the next run.
    const interrupted = chainLegacyStreams(sql, store, {
      streamsPerBatch: 1,
      onProgress: () => {
        throw new Error('process killed');
      },
    });
    await expect(interrupted).rejects.toThrow('process killed');
    const progress: number[] = [];
    const result = await chainLegacyStreams(sql, store, { onProgress: (p) => progress.push(p.streamsChained) });
    expect(result.streamsChained).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBe(result.streamsChained);

    for (const stream of [a, b, c]) expectChained(await store.readStream(stream));
    await store.appendToStream(a, [anEvent('AfterMigration')], 3);
    expectChained(await store.readStream(a));

    const [recorded] = await store.readStream(HASH_CHAIN_MIGRATION_STREAM);
    expect(recorded).toMatchObject({ type: 'LegacyHistoryChained', data: { streamsChained: result.streamsChained } });
    // Nothing left: a further run chains nothing and records nothing.
    expect(await chainLegacyStreams(sql, store)).toEqual({ streamsChained: 0, eventsChained: 0 });
    expect(await store.readStream(HASH_CHAIN_MIGRATION_STREAM)).toHaveLength(1);
  });

  it('never rewrites a hash: an altered chained row stays detectably altered', async () => {
    const stream = `chained-${randomUUID()}`;
    await store.appendToStream(stream, [anEvent('One'), anEvent('Two')], 'no_stream');
    await sql.query(`UPDATE es_events SET data = '{"n": 2}' WHERE stream_name = $1 AND revision = 0`, [stream]);
    await chainLegacyStreams(sql, store);
    const [altered] = await store.readStream(stream);
    const { hash, ...withoutHash } = altered?.metadata ?? {};
    const text = `${'0'.repeat(64)}.${canonicalize({ type: altered?.type, data: altered?.data, metadata: withoutHash })}`;
    expect(createHash('sha256').update(text).digest('hex')).not.toBe(hash);
  });
});
