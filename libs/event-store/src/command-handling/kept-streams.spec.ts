import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { KeptStreams } from './kept-streams';
import { type CounterCommand, CounterFull, counter, counterMetadata as metadata } from './testing/counter-decider';

const increment = (by: number, max = 100): CounterCommand => ({ type: 'Increment', by, max });

describe('streams decided on the state the process kept', () => {
  let sql: PgliteSqlClient;
  let store: PostgresEventStore;
  let stream = 0;
  const next = () => `counter-${++stream}`;
  const reads = () => jest.mocked(store.readStream).mock.calls.length;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = await PostgresEventStore.create(sql);
    jest.spyOn(store, 'readStream'); // counts, and reads as before
  });
  afterAll(() => sql.close());

  it('decides on the kept state without a read, and on a fresh one after another process moved the stream', async () => {
    const here = new KeptStreams(store, counter, { maxStreams: 10 });
    const elsewhere = new KeptStreams(store, counter, { maxStreams: 10 });
    const name = next();
    await here.decide(name, increment(1), metadata); // read: nothing kept yet
    const before = reads();
    expect((await here.decide(name, increment(2), metadata)).state).toBe(3);
    expect(reads()).toBe(before);
    await elsewhere.decide(name, increment(10), metadata);
    // The kept state (3) is out of date: the append expecting its revision is refused, the fresh read decides.
    expect((await here.decide(name, increment(1), metadata)).state).toBe(14);
    expect(reads()).toBe(before + 2);
    expect((await store.readStream(name)).map((event) => event.data)).toEqual([
      { by: 1 },
      { by: 2 },
      { by: 10 },
      { by: 1 },
    ]);
  });

  it('decides on a fresh read what does nothing or is refused on the kept state', async () => {
    const here = new KeptStreams(store, counter, { maxStreams: 10 });
    const name = next();
    await here.decide(name, increment(5), metadata);
    await new KeptStreams(store, counter, { maxStreams: 10 }).decide(name, increment(-5), metadata);
    // Kept: 5, so 6 more would pass 10; on the stream (0) it does not.
    expect((await here.decide(name, increment(6, 10), metadata)).state).toBe(6);
    // And a refusal on a fresh read stands.
    await expect(here.decide(name, increment(5, 10), metadata)).rejects.toThrow(CounterFull);
    const before = reads();
    expect((await here.decide(name, increment(0), metadata)).newEvents).toEqual([]);
    expect(reads()).toBe(before + 1);
  });

  it('takes a stream it keeps nothing of to be new when told to: no read for a new one, a read for one that exists', async () => {
    const here = new KeptStreams(store, counter, { maxStreams: 10, assumeNew: true });
    const fresh = next();
    const before = reads();
    expect((await here.decide(fresh, increment(4), metadata)).state).toBe(4);
    expect(reads()).toBe(before);
    const existing = next();
    await new KeptStreams(store, counter, { maxStreams: 10 }).decide(existing, increment(7), metadata);
    const readsBefore = reads();
    expect((await here.decide(existing, increment(1), metadata)).state).toBe(8);
    expect(reads()).toBe(readsBefore + 1);
  });

  it('keeps a later state over an earlier one when concurrent decisions finish out of order', async () => {
    const here = new KeptStreams(store, counter, { maxStreams: 10 });
    const name = next();
    await Promise.all([1, 2, 3, 4].map((by) => here.decide(name, increment(by), metadata)));
    expect(here.peek(name)).toEqual({ state: 10, revision: 3 });
    expect((await here.read(name)).state).toBe(10);
  });
});
