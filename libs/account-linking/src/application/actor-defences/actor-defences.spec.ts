import type { EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { NO_BANKS, TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS } from '../testing/application-fixtures';
import { ActorDefences } from './actor-defences';

const T0 = '2026-11-21T10:00:00.000Z';
const metadata: EventMetadata = {
  actor: { type: 'system', id: 'test' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: T0,
};

describe('actor defences decided on the state the process kept', () => {
  let sql: PgliteSqlClient;
  let store: PostgresEventStore;
  /** The reads of actor streams, to tell a decision made on a kept state from one made on a fresh read. */
  const reads = () => jest.mocked(store.readStream).mock.calls.filter(([stream]) => stream.startsWith('actor-')).length;
  let first: ActorDefences;
  let second: ActorDefences;
  let seq = 0;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = await PostgresEventStore.create(sql);
    jest.spyOn(store, 'readStream'); // counts, and reads as before
    // Two processes on one store: each keeps its own states.
    first = new ActorDefences(store, TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS, NO_BANKS);
    second = new ActorDefences(store, TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS, NO_BANKS);
  });
  afterAll(() => sql.close());

  const aLink = () => {
    seq += 1;
    return { paymentAppId: 'app', deviceId: `device-${seq}`, customerReference: `customer-${seq}` };
  };
  const deviceOf = (link: ReturnType<typeof aLink>) => ({
    kind: 'device' as const,
    paymentAppId: 'app',
    key: link.deviceId,
  });

  it('refuses a request after another process blocked the actor, though its kept state predates the block', async () => {
    const link = aLink();
    expect((await first.register(link, 'lnk_1', 'bat_1', T0, metadata)).accepted).toBe(true);
    const stream = first.streamOf(deviceOf(link));
    await second.decide(
      stream,
      {
        type: 'BlockActor',
        data: { actor: deviceOf(link), blockId: 'blk_1', now: T0, blockMinutes: 60, reason: 'fraud_rule:test' },
      },
      metadata,
    );
    const later = '2026-11-21T10:05:00.000Z';
    expect((await first.register(link, 'lnk_2', 'bat_2', later, metadata)).accepted).toBe(false);
    const types = (await store.readStream(stream)).map((event) => event.type);
    expect(types).toEqual(['ActorAttemptRegistered', 'ActorBlocked']);
  });

  it('decides again on a fresh read when the kept state has nothing to do or refuses the command', async () => {
    const link = aLink();
    const stream = first.streamOf(deviceOf(link));
    await first.register(link, 'lnk_3', 'bat_3', T0, metadata);
    const block = { actor: deviceOf(link), blockId: 'blk_2', now: T0, blockMinutes: 60, reason: 'fraud_rule:test' };
    await second.decide(stream, { type: 'BlockActor', data: block }, metadata);
    // The first process's kept state has no such block: the domain refuses the lift there, not on a fresh read.
    const lift = { blockId: 'blk_2', now: '2026-11-21T10:01:00.000Z', reason: 'verified' };
    await first.decide(stream, { type: 'LiftActorBlock', data: lift }, metadata);
    // The other process ends the attempt; to the first one's kept state it is still pending, and the end is
    // made on the kept state, then refused by the revision, then made again on a fresh read: one end, not two.
    const end = { type: 'EndActorAttempt' as const, data: { linkId: 'lnk_3', now: '2026-11-21T10:02:00.000Z' } };
    await second.decide(stream, end, metadata);
    await first.decide(stream, end, metadata);
    const types = (await store.readStream(stream)).map((event) => event.type);
    expect(types).toEqual(['ActorAttemptRegistered', 'ActorBlocked', 'ActorBlockLifted', 'ActorAttemptEnded']);
  });

  it('ends an attempt it knows to be over without reading the stream, and with no second event', async () => {
    const link = aLink();
    const stream = first.streamOf(deviceOf(link));
    await first.register(link, 'lnk_4', 'bat_4', T0, metadata);
    const end = { type: 'EndActorAttempt' as const, data: { linkId: 'lnk_4', now: '2026-11-21T10:02:00.000Z' } };
    await first.decide(stream, end, metadata);
    const before = reads();
    const again = await first.decide(stream, end, metadata);
    expect(again.newEvents).toEqual([]);
    expect(reads()).toBe(before);
    // A process that kept nothing reads, and decides the same.
    expect((await second.decide(stream, end, metadata)).newEvents).toEqual([]);
    expect(reads()).toBe(before + 1);
    const types = (await store.readStream(stream)).map((event) => event.type);
    expect(types).toEqual(['ActorAttemptRegistered', 'ActorAttemptEnded']);
  });

  it("registers a new actor's first attempt without a read; one another process met first costs a read", async () => {
    const link = aLink();
    const before = reads();
    expect((await first.register(link, 'lnk_7', 'bat_7', T0, metadata)).accepted).toBe(true);
    expect(reads()).toBe(before);
    // The second process never met these actors: its registration expects no stream, is refused, reads, appends.
    expect((await second.register(link, 'lnk_8', 'bat_8', T0, metadata)).accepted).toBe(true);
    expect(reads()).toBe(before + 2); // the device's stream and the customer's
    const types = (await store.readStream(first.streamOf(deviceOf(link)))).map((event) => event.type);
    expect(types).toEqual(['ActorAttemptRegistered', 'ActorAttemptRegistered']);
  });

  it('appends a registration on the kept state without reading the stream first', async () => {
    const link = aLink();
    await first.register(link, 'lnk_5', 'bat_5', T0, metadata);
    const before = reads();
    await first.register(link, 'lnk_6', 'bat_6', T0, metadata);
    expect(reads()).toBe(before);
  });
});
