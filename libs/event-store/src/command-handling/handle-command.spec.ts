import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { EventStoreUnavailableError } from '../event-store-unavailable.error';
import type { EventMetadata, EventStore } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';
import { aggregateStream, handleCommand } from './handle-command';
import { CounterFull, counter, counterMetadata as metadata } from './testing/counter-decider';

describe('handling a command: load, decide, append with the expected revision', () => {
  let sql: PgliteSqlClient;
  let store: PostgresEventStore;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = await PostgresEventStore.create(sql);
  });
  afterAll(() => sql.close());

  it('appends what the decider decides and returns the state after it', async () => {
    const result = await handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 2, max: 10 }, metadata);
    expect(result.state).toBe(2);
    expect(result.append?.nextExpectedRevision).toBe(0);
    // The caller's metadata as given, plus the hash chain the store adds.
    expect((await store.readStream('counter-1'))[0]?.metadata).toEqual({
      ...metadata,
      previousHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('does not retry a store that stayed unavailable: a retry here would append new ids and could write twice', async () => {
    let appends = 0;
    const unavailable: EventStore = {
      readStream: (stream, options) => store.readStream(stream, options),
      readLastEvent: (stream) => store.readLastEvent(stream),
      readStreams: (streams) => store.readStreams(streams),
      readAll: (from, limit, filter) => store.readAll(from, limit, filter),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: async () => {},
      appendToStream: async () => {
        appends += 1;
        throw new EventStoreUnavailableError('append to counter-u', 5, { cause: new Error('node down') });
      },
    };
    await expect(
      handleCommand(unavailable, 'counter-u', counter, { type: 'Increment', by: 1, max: 10 }, metadata),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(appends).toBe(1);
  });

  it('writes nothing when the decider throws a domain error', async () => {
    await expect(
      handleCommand(store, 'counter-2', counter, { type: 'Increment', by: 11, max: 10 }, metadata),
    ).rejects.toBeInstanceOf(CounterFull);
    expect(await store.readStream('counter-2')).toEqual([]);
  });

  it('retries on a revision conflict, deciding again on the fresh state', async () => {
    const stream = 'counter-3';
    await handleCommand(store, stream, counter, { type: 'Increment', by: 1, max: 10 }, metadata);
    // Ten concurrent increments of 1 against a max of 10: the decider must see every winner's event.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        handleCommand(store, stream, counter, { type: 'Increment', by: 1, max: 10 }, metadata, { maxAttempts: 20 }),
      ),
    );
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const full = outcomes.filter(
      (outcome) => outcome.status === 'rejected' && outcome.reason instanceof CounterFull,
    ).length;
    expect(fulfilled).toBe(9);
    expect(full).toBe(1);
    expect((await aggregateStream(store, stream, counter)).state).toBe(10);
  });

  it('decides first on the state the caller knows, without reading; a stream moved since is read afresh', async () => {
    let reads = 0;
    const counting: EventStore = {
      readStream: (stream, options) => {
        reads += 1;
        return store.readStream(stream, options);
      },
      readLastEvent: (stream) => store.readLastEvent(stream),
      readStreams: (streams) => store.readStreams(streams),
      readAll: (from, limit, filter) => store.readAll(from, limit, filter),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: async () => {},
      appendToStream: (stream, events, expected) => store.appendToStream(stream, events, expected),
    };
    const increment = { type: 'Increment' as const, by: 1, max: 3 };
    const first = await handleCommand(counting, 'counter-known', counter, increment, metadata, {
      known: { state: 0, revision: undefined },
    });
    expect({ reads, state: first.state }).toEqual({ reads: 0, state: 1 });
    const second = await handleCommand(counting, 'counter-known', counter, increment, metadata, {
      known: { state: 1, revision: 0 },
    });
    expect({ reads, state: second.state }).toEqual({ reads: 0, state: 2 });

    // Another writer moved the stream: what the caller knows is stale, the append conflicts, the decision is
    // made again on the stream as it is (3 of 3: the next increment would pass the maximum).
    await store.appendToStream(
      'counter-known',
      [{ id: crypto.randomUUID(), type: 'Incremented', data: { by: 1 }, metadata }],
      1,
    );
    await expect(
      handleCommand(counting, 'counter-known', counter, increment, metadata, { known: { state: 1, revision: 0 } }),
    ).rejects.toBeInstanceOf(CounterFull);
    expect(reads).toBe(1);
    expect((await aggregateStream(store, 'counter-known', counter)).state).toBe(3);
  });

  it('gives up with the conflict after its attempts run out', async () => {
    const stream = 'counter-4';
    let sneaky = 0;
    const interfering: typeof counter = {
      ...counter,
      decide: (command, state) => {
        // Another writer slips in between every read and append.
        void store.appendToStream(
          stream,
          [{ id: crypto.randomUUID(), type: 'Incremented', data: { by: 0 }, metadata }],
          'any',
        );
        sneaky++;
        return counter.decide(command, state);
      },
    };
    await store.appendToStream(
      stream,
      [{ id: crypto.randomUUID(), type: 'Incremented', data: { by: 0 }, metadata }],
      'no_stream',
    );
    await expect(
      handleCommand(store, stream, interfering, { type: 'Increment', by: 1, max: 10 }, metadata, { maxAttempts: 3 }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(sneaky).toBe(3);
  });
});
