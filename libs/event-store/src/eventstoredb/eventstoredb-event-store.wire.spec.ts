import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { UnavailableError } from '@eventstore/db-client';
import { AppendTooLargeError } from '../append-too-large.error';
import { EventStoreUnavailableError } from '../event-store-unavailable.error';
import type { EventData, RecordedEvent } from '../event-store.port';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';
import { toCheckpoint } from './checkpoint';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { EventNotSerialisableError } from './serialisable-events';
import { FakeEventStoreDbServer } from './testing/fake-eventstoredb-server';
import { ReadDeadlineExceededError } from './transient-failure';

/**
 * The adapter against an in-process gRPC server that speaks the Streams protocol from the client's own service
 * definitions and fails on command. This covers the adapter's error paths on the wire; the behaviour of a real
 * server (idempotence, positions, filters) is the contract's, which runs against EventStoreDB where Docker is.
 */

const RETRY = { maxAttempts: 4, initialBackoffMs: 5, maxBackoffMs: 20 };
/** The client's deadline for each call (ms), so a lost answer is noticed quickly. */
const DEADLINE_MS = 300;

const anEvent = (type = 'LinkRequested', data: unknown = { linkId: 'lnk_1' }): EventData => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    actor: { type: 'system', id: 'wire-test' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: '2026-11-21T10:00:00.000Z',
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** The chain recomputed from API.md's formula with the library and node:crypto, not the code under test. */
function expectChained(events: readonly { type: string; data: unknown; metadata: Record<string, unknown> }[]): void {
  let previous = '0'.repeat(64);
  for (const event of events) {
    const { hash, ...withoutHash } = event.metadata;
    expect(withoutHash.previousHash).toBe(previous);
    const text = `${previous}.${canonicalize({ type: event.type, data: event.data, metadata: withoutHash })}`;
    expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    previous = hash as string;
  }
}

const storedOnServer = (server: FakeEventStoreDbServer, stream: string) =>
  server.streamEvents(stream).map((event) => ({
    type: event.type,
    data: JSON.parse(Buffer.from(event.data).toString('utf8')) as unknown,
    metadata: JSON.parse(Buffer.from(event.metadata).toString('utf8') || '{}') as Record<string, unknown>,
  }));

describe('EventStoreDB adapter on the wire (in-process fake server with injected faults)', () => {
  let server: FakeEventStoreDbServer;
  let store: EventStoreDbEventStore;
  const extra: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    server = await FakeEventStoreDbServer.start();
    store = await EventStoreDbEventStore.connect(server.connectionString(`defaultDeadline=${DEADLINE_MS}`), {
      retry: RETRY,
    });
  });

  afterEach(async () => {
    await store.close();
    await Promise.all([server, ...extra.splice(0)].map((running) => running.stop()));
  });

  describe('connecting', () => {
    it('asks the server its version once, and refuses a server older than 23.10', async () => {
      expect(server.callsOf('server-features')).toHaveLength(1);

      const old = await FakeEventStoreDbServer.start();
      extra.push(old);
      old.serverVersion = '22.10.3.0';
      await expect(EventStoreDbEventStore.connect(old.connectionString())).rejects.toThrow(
        'EventStoreDB server version 22.10.3.0 is not supported: the event store needs 23.10 or later',
      );
    });

    it('gives up connecting with a clear error when no node answers', async () => {
      const gone = await FakeEventStoreDbServer.start();
      const port = gone.port;
      await gone.stop();
      const failure = await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, {
        retry: RETRY,
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EventStoreUnavailableError);
      expect(failure).toMatchObject({ operation: 'server version check', attempts: RETRY.maxAttempts });
    });
  });

  describe('the hash chain, computed by the adapter', () => {
    it('chains what it writes, as the server stores it, from 64 zeros', async () => {
      await store.appendToStream('link-1', [anEvent(), anEvent('Unicode', { text: '山田 𠮷 "q"' })], 'no_stream');
      await store.appendToStream('link-1', [anEvent('LinkActivated')], 1);
      await store.appendToStream('link-1', [anEvent('LinkSuspended')], 'any');
      expect(server.streamEvents('link-1')).toHaveLength(4);
      expectChained(storedOnServer(server, 'link-1'));
      expectChained(await store.readStream('link-1'));
    });

    it('keeps one chain when two processes append with any at once: a stale tip conflicts and is read again', async () => {
      const other = await EventStoreDbEventStore.connect(server.connectionString(`defaultDeadline=${DEADLINE_MS}`), {
        retry: RETRY,
      });
      try {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => [
            store.appendToStream('link-1', [anEvent('FromA', { i })], 'any'),
            other.appendToStream('link-1', [anEvent('FromB', { i })], 'any'),
          ]).flat(),
        );
      } finally {
        await other.close();
      }
      expect(server.streamEvents('link-1')).toHaveLength(20);
      expectChained(storedOnServer(server, 'link-1'));
      // Every write was exact at the tip it chained after: never `any` on the wire.
      expect(server.callsOf('append').some((call) => call.expectation === 'any')).toBe(false);
    });

    it('chains an exact append after an event another process wrote, by reading that event', async () => {
      const other = await EventStoreDbEventStore.connect(server.connectionString(`defaultDeadline=${DEADLINE_MS}`));
      try {
        await store.appendToStream('link-1', [anEvent()], 'no_stream');
        await other.appendToStream('link-1', [anEvent('ByOther')], 0);
      } finally {
        await other.close();
      }
      await store.appendToStream('link-1', [anEvent('AfterOther')], 1);
      expectChained(storedOnServer(server, 'link-1'));
    });

    it('leaves a stream written before the chain unchained rather than start a chain mid-stream', async () => {
      server.seed('link-1', ['LinkRequested']);
      await store.appendToStream('link-1', [anEvent('LinkActivated')], 0);
      const [, appended] = storedOnServer(server, 'link-1');
      expect(appended?.metadata).not.toHaveProperty('hash');
      expect(appended?.metadata).not.toHaveProperty('previousHash');
    });
  });

  describe('appending through failures', () => {
    it('follows a NotLeader answer to the leader it names, with the same event ids and expectation', async () => {
      const leader = await FakeEventStoreDbServer.start();
      extra.push(leader);
      server.appendFaults.push({ kind: 'not-leader', leader: { host: '127.0.0.1', port: leader.port } });
      const events = [anEvent(), anEvent()];

      const result = await store.appendToStream('link-1', events, 'no_stream');

      const ids = events.map((event) => event.id);
      expect(server.callsOf('append')).toEqual([expect.objectContaining({ eventIds: ids, expectation: 'no_stream' })]);
      expect(leader.callsOf('append')).toEqual([expect.objectContaining({ eventIds: ids, expectation: 'no_stream' })]);
      expect(server.events).toEqual([]);
      expect(leader.streamEvents('link-1').map((event) => event.id)).toEqual(ids);
      expect(result.nextExpectedRevision).toBe(1);
      expect(result.checkpoint).toBe(toCheckpoint({ commit: 200n, prepare: 200n }));
    });

    it('retries UNAVAILABLE with backoff, the same ids and the same exact expectation, and writes once', async () => {
      server.seed('link-1', ['LinkRequested']);
      server.appendFaults.push({ kind: 'unavailable' }, { kind: 'unavailable' });
      const event = anEvent('LinkActivated');

      const result = await store.appendToStream('link-1', [event], 0);

      expect(server.callsOf('append').map((call) => [call.eventIds, call.expectation])).toEqual([
        [[event.id], '0'],
        [[event.id], '0'],
        [[event.id], '0'],
      ]);
      expect(server.streamEvents('link-1').map((event) => event.type)).toEqual(['LinkRequested', 'LinkActivated']);
      expect(result.nextExpectedRevision).toBe(1);
    });

    it('retries an append whose answer was lost at its deadline, and the server answers it as the write it was', async () => {
      server.appendFaults.push({ kind: 'written-unanswered' });
      const events = [anEvent(), anEvent()];

      const result = await store.appendToStream('link-1', events, 'no_stream');

      expect(server.callsOf('append')).toHaveLength(2);
      expect(server.streamEvents('link-1').map((event) => event.id)).toEqual(events.map((event) => event.id));
      // The idempotent answer has no position: the last event's is read back, from the leader.
      expect(result).toEqual({
        nextExpectedRevision: 1,
        position: 200,
        checkpoint: toCheckpoint({ commit: 200n, prepare: 200n }),
      });
      expect(server.callsOf('read-stream')).toEqual([
        expect.objectContaining({ stream: 'link-1', requiresLeader: true }),
      ]);
    });

    it('takes no harm from an answer that arrives after the client gave up on the call', async () => {
      server.appendFaults.push({ kind: 'written-unanswered', answerAfterMs: DEADLINE_MS + 150 });
      const event = anEvent();

      const result = await store.appendToStream('link-1', [event], 'no_stream');
      await sleep(300); // the late answer arrives now, into a cancelled call

      expect(result.nextExpectedRevision).toBe(0);
      expect(server.streamEvents('link-1')).toHaveLength(1);
      const next = await store.appendToStream('link-1', [anEvent('LinkActivated')], 0);
      expect(next.nextExpectedRevision).toBe(1);
    });

    it('gives up after its bound with EventStoreUnavailableError naming the append, every attempt the same', async () => {
      for (let i = 0; i < RETRY.maxAttempts; i++) server.appendFaults.push({ kind: 'unavailable' });
      const event = anEvent();

      const failure = await store.appendToStream('link-1', [event], 'no_stream').catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(EventStoreUnavailableError);
      expect(failure).toMatchObject({ operation: 'append to link-1', attempts: RETRY.maxAttempts });
      expect((failure as Error).message).toContain('did not complete the append to link-1 after 4 attempts');
      expect((failure as Error).cause).toBeInstanceOf(UnavailableError);
      const calls = server.callsOf('append');
      expect(calls).toHaveLength(RETRY.maxAttempts);
      expect(new Set(calls.map((call) => `${call.eventIds?.join()}@${call.expectation}`)).size).toBe(1);
      expect(server.events).toEqual([]);
    });

    it('does not retry a conflict: it is the caller’s to re-decide', async () => {
      server.seed('link-1', ['LinkRequested', 'LinkActivated']);
      const conflict = await store.appendToStream('link-1', [anEvent()], 0).catch((error: unknown) => error);
      expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
      expect(conflict).toMatchObject({ expected: 0, actual: 1 });
      expect(server.callsOf('append')).toHaveLength(1);
    });

    it('maps the server’s MaxAppendSize refusal to AppendTooLargeError, without retrying it', async () => {
      server.appendFaults.push({ kind: 'max-append-size', maxAppendSize: 1_048_576 });
      const failure = await store
        .appendToStream('link-1', [anEvent('Large', { blob: 'x'.repeat(10) })], 'no_stream')
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppendTooLargeError);
      expect(failure).toMatchObject({ stream: 'link-1', maxAppendSize: 1_048_576 });
      expect((failure as Error).message).toContain('1048576 bytes; EventStoreDB setting MaxAppendSize');
      expect(server.callsOf('append')).toHaveLength(1);
    });
  });

  describe('the client’s defects in 6.2.1, made impossible from our side', () => {
    it('never opens the batch-append stream, though the server lists it, so no stray answer can reach it', async () => {
      for (let i = 0; i < 3; i++) await store.appendToStream(`link-${i}`, [anEvent(), anEvent()], 'no_stream');
      expect(server.callsOf('batch-append')).toEqual([]);
      expect(server.callsOf('append')).toHaveLength(3);
    });

    it('refuses a payload that does not serialise before any call, and the connection stays usable', async () => {
      const cyclic: Record<string, unknown> = { amount: 1 };
      cyclic.self = cyclic;
      const started = Date.now();

      await expect(
        store.appendToStream('link-1', [anEvent(), { ...anEvent(), data: cyclic }], 'no_stream'),
      ).rejects.toBeInstanceOf(EventNotSerialisableError);
      await expect(
        store.appendToStream(
          'link-1',
          [{ ...anEvent(), metadata: { ...anEvent().metadata, total: 10n } }],
          'no_stream',
        ),
      ).rejects.toThrow('its metadata is not JSON');

      // Settled at once, not at a deadline; and nothing was half-sent.
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
      expect(server.callsOf('append')).toEqual([]);
      expect((await store.appendToStream('link-1', [anEvent()], 'no_stream')).nextExpectedRevision).toBe(0);
    });
  });

  describe('reading', () => {
    it('reads streams from the leader, and follows NotLeader there', async () => {
      const leader = await FakeEventStoreDbServer.start();
      extra.push(leader);
      leader.seed('link-1', ['LinkRequested', 'LinkActivated']);
      server.streamReadFaults.push({ kind: 'not-leader', leader: { host: '127.0.0.1', port: leader.port } });

      const events = await store.readStream('link-1');

      expect(events.map((event) => event.type)).toEqual(['LinkRequested', 'LinkActivated']);
      expect(server.callsOf('read-stream')).toEqual([expect.objectContaining({ requiresLeader: true })]);
      expect(leader.callsOf('read-stream')).toEqual([expect.objectContaining({ requiresLeader: true })]);
    });

    it('ends a read the server never answers at its deadline, and retries it', async () => {
      server.seed('link-1', ['LinkRequested']);
      server.streamReadFaults.push({ kind: 'silent' });
      const started = Date.now();

      const events = await store.readStream('link-1');

      expect(events.map((event) => event.type)).toEqual(['LinkRequested']);
      expect(server.callsOf('read-stream')).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
    });

    it('gives up a read that never answers after its bound, with the deadline as the cause', async () => {
      for (let i = 0; i < RETRY.maxAttempts; i++) server.streamReadFaults.push({ kind: 'silent' });
      const failure = await store.readStream('link-1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EventStoreUnavailableError);
      expect((failure as Error).cause).toBeInstanceOf(ReadDeadlineExceededError);
      expect(server.callsOf('read-stream')).toHaveLength(RETRY.maxAttempts);
    });

    it('answers readiness and the head position with one record read backwards from the end', async () => {
      server.seed('link-1', ['LinkRequested', 'LinkActivated']);
      await store.ping();
      expect(await store.headPosition()).toBe(200);
      expect(server.callsOf('read-all').map((call) => call.from)).toEqual(['end', 'end']);
    });
  });

  describe('subscribing to $all', () => {
    const received: RecordedEvent[] = [];
    const errors: unknown[] = [];
    beforeEach(() => {
      received.length = 0;
      errors.length = 0;
    });

    it('resubscribes after drops mid-stream from the last event handled, skipping and repeating nothing', async () => {
      server.seed(
        'link-a',
        Array.from({ length: 10 }, () => 'Numbered'),
      );
      server.subscriptionFaults.push(
        { kind: 'drop-after', records: 3, how: 'error' },
        { kind: 'drop-after', records: 4, how: 'end' },
      );
      const subscription = store.subscribeToAll({
        batchSize: 2,
        backoff: { initialMs: 5, maxMs: 20 },
        onEvents: async (events) => {
          received.push(...events);
        },
        onError: (error) => errors.push(error),
      });
      try {
        await until(() => received.length >= 10);
        await subscription.caughtUp;
        await store.appendToStream('link-a', [anEvent('Live'), anEvent('Live')], 9);
        await until(() => received.length >= 12);
        await sleep(50);

        expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(new Set(received.map((event) => event.id)).size).toBe(12);
        const resumedFrom = server.callsOf('subscribe-all').map((call) => call.from);
        expect(resumedFrom).toEqual(['start', '300', '700']);
        expect(errors).toHaveLength(2);
        expect(subscription.checkpoint).toBe(toCheckpoint({ commit: 1200n, prepare: 1200n }));
      } finally {
        await subscription.stop();
      }
    });

    it('asks the server to filter by stream prefix, and moves its checkpoint on the server’s checkpoints', async () => {
      server.seed('link-1', ['LinkRequested']);
      server.seed(
        'guard-1',
        Array.from({ length: 9 }, () => 'AccountRegistered'),
      );
      const checkpoints: (string | undefined)[] = [];
      const subscription = store.subscribeToAll({
        filter: { streamPrefixes: ['link-'] },
        onEvents: async (events, checkpoint) => {
          received.push(...events);
          checkpoints.push(checkpoint);
        },
      });
      try {
        await subscription.caughtUp;
        await until(() => subscription.checkpoint === toCheckpoint({ commit: 1000n, prepare: 1000n }));

        expect(server.callsOf('subscribe-all')).toEqual([
          expect.objectContaining({ filter: { on: 'stream', prefixes: ['link-'], regex: '' } }),
        ]);
        expect(received.map((event) => event.streamName)).toEqual(['link-1']);
        // Past records the server skipped, without their being sent: the next resubscription starts there.
        expect(checkpoints.at(-1)).toBe(toCheckpoint({ commit: 1000n, prepare: 1000n }));
      } finally {
        await subscription.stop();
      }
    });

    it('without a filter, still has the server leave out its own $ records', async () => {
      const subscription = store.subscribeToAll({ onEvents: async () => {} });
      try {
        await subscription.caughtUp;
        expect(server.callsOf('subscribe-all')).toEqual([
          expect.objectContaining({ filter: { on: 'event-type', prefixes: [], regex: '^[^$].*' } }),
        ]);
      } finally {
        await subscription.stop();
      }
    });

    it('does not move past events still waiting in its buffer when a checkpoint arrives behind them', async () => {
      server.checkpointEvery = 1;
      server.seed(
        'link-1',
        Array.from({ length: 6 }, () => 'Numbered'),
      );
      server.subscriptionFaults.push({ kind: 'drop-after', records: 6, how: 'error' });
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const subscription = store.subscribeToAll({
        batchSize: 1,
        filter: { streamPrefixes: ['link-'] },
        backoff: { initialMs: 5, maxMs: 20 },
        onEvents: async (events) => {
          // The first batch waits until the server has sent everything (and its checkpoints) and dropped.
          await gate;
          received.push(...events);
        },
      });
      try {
        await until(() => server.callsOf('subscribe-all').length >= 1);
        await sleep(50);
        release();
        await until(() => received.length >= 6);
        await subscription.caughtUp;
        expect(received.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      } finally {
        await subscription.stop();
      }
    });
  });
});
