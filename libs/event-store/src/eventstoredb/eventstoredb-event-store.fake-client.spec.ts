import {
  AccessDeniedError,
  type AllStreamResolvedEvent,
  type AppendResult as ClientAppendResult,
  type AppendToStreamOptions,
  type EventStoreDBClient,
  NO_STREAM,
  type ReadAllOptions,
  type ReadStreamOptions,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { EventData } from '../event-store.port';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';
import { toCheckpoint } from './checkpoint';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { EventNotSerialisableError } from './serialisable-events';
import { FakeAllSubscription, fakeRead, resolvedEvent } from './testing/fake-client-streams';

const checkpointOf = (n: number) => toCheckpoint({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
const ns = (events: readonly { data: unknown }[]) => events.map((event) => (event.data as { n: number }).n);

/** Only the client calls the adapter makes; each test says what they return. */
function fakeClient() {
  const calls = {
    readAll: [] as ReadAllOptions[],
    readStream: [] as { stream: string; options: ReadStreamOptions }[],
    append: [] as { stream: string; events: unknown[]; options: AppendToStreamOptions }[],
    disposed: false,
  };
  let allRecords: AllStreamResolvedEvent[] = [];
  let streamReads: ((options: ReadStreamOptions) => ReturnType<typeof fakeRead<AllStreamResolvedEvent>>)[] = [];
  let appendOutcome: () => Promise<ClientAppendResult> = async () => {
    throw new Error('no append outcome set');
  };
  const reads: ReturnType<typeof fakeRead>[] = [];
  const client = {
    readAll(options: ReadAllOptions) {
      calls.readAll.push(options);
      const from = options.fromPosition;
      const start = from === START || from === undefined ? 0n : typeof from === 'object' ? from.commit : 0n;
      const records = allRecords
        .filter((record) => (record.event?.position.commit ?? 0n) >= start)
        .slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
      const read = fakeRead(records);
      reads.push(read);
      return read;
    },
    readStream(stream: string, options: ReadStreamOptions) {
      calls.readStream.push({ stream, options });
      const next = streamReads.shift();
      if (!next) throw new Error('no stream read set');
      const read = next(options);
      reads.push(read);
      return read;
    },
    async appendToStream(stream: string, events: unknown[], options: AppendToStreamOptions) {
      calls.append.push({ stream, events, options });
      return appendOutcome();
    },
    subscribeToAll() {
      return new FakeAllSubscription().asClientSubscription();
    },
    async dispose() {
      calls.disposed = true;
    },
  };
  return {
    store: new EventStoreDbEventStore(client as unknown as EventStoreDBClient),
    calls,
    reads,
    setAll(records: AllStreamResolvedEvent[]) {
      allRecords = records;
    },
    setStreamReads(...next: typeof streamReads) {
      streamReads = next;
    },
    setAppend(outcome: () => Promise<ClientAppendResult>) {
      appendOutcome = outcome;
    },
  };
}

const idOf = (name: string) => `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0')}`;

const anEvent = (name: string): EventData => ({
  id: idOf(name),
  type: 'LinkRequested',
  data: { linkId: 'lnk_1' },
  metadata: {
    actor: { type: 'payment_app', id: 'app_1' },
    correlationId: 'corr',
    causationId: 'cause',
    occurredAt: '2026-11-21T10:00:00.000Z',
  },
});

describe('EventStoreDB event store over a fake client', () => {
  describe('reading $all', () => {
    it("reads from the start, leaves out EventStoreDB's own events, and says when it reached the end", async () => {
      const { store, setAll, calls } = fakeClient();
      setAll([resolvedEvent(1, { type: '$metadata', stream: '$$link-1' }), resolvedEvent(2), resolvedEvent(3)]);

      const page = await store.readAll(undefined, 10);

      expect(calls.readAll[0]).toMatchObject({ fromPosition: START, direction: 'forwards', resolveLinkTos: false });
      expect(ns(page.events)).toEqual([2, 3]);
      expect(page.checkpoint).toBe(checkpointOf(3));
      expect(page.isEnd).toBe(true);
    });

    it('resumes after a checkpoint: the record at the checkpoint itself is not read again', async () => {
      const { store, setAll, calls } = fakeClient();
      setAll([resolvedEvent(1), resolvedEvent(2), resolvedEvent(3)]);

      const page = await store.readAll(checkpointOf(2), 10);

      expect(calls.readAll[0]?.fromPosition).toEqual({ commit: 200n, prepare: 200n });
      expect(ns(page.events)).toEqual([3]);
      expect(page.checkpoint).toBe(checkpointOf(3));
    });

    it('keeps the checkpoint it was given when nothing follows it', async () => {
      const { store, setAll } = fakeClient();
      setAll([resolvedEvent(1)]);
      expect(await store.readAll(checkpointOf(1), 10)).toEqual({
        events: [],
        checkpoint: checkpointOf(1),
        isEnd: true,
      });
      expect(await fakeClient().store.readAll(undefined, 10)).toEqual({
        events: [],
        checkpoint: undefined,
        isEnd: true,
      });
    });

    it('returns at most limit events, stops reading there, and says more may follow', async () => {
      const { store, setAll, reads } = fakeClient();
      setAll([resolvedEvent(1), resolvedEvent(2), resolvedEvent(3)]);

      const page = await store.readAll(undefined, 2);

      expect(ns(page.events)).toEqual([1, 2]);
      expect(page.checkpoint).toBe(checkpointOf(2));
      expect(page.isEnd).toBe(false);
      expect(reads[0]?.cancelled).toBe(true);
      expect(ns((await store.readAll(page.checkpoint, 2)).events)).toEqual([3]);
    });

    it('moves the checkpoint past events the filter rejected, so the next read does not scan them again', async () => {
      const { store, setAll } = fakeClient();
      setAll([
        resolvedEvent(1, { stream: 'link-1' }),
        resolvedEvent(2, { stream: 'link-1', type: 'LinkActivated' }),
        resolvedEvent(3, { stream: 'guard-1' }),
      ]);

      const page = await store.readAll(undefined, 10, { streamPrefixes: ['link-'], eventTypes: ['LinkRequested'] });

      expect(ns(page.events)).toEqual([1]);
      expect(page.checkpoint).toBe(checkpointOf(3));
      expect(page.isEnd).toBe(true);
    });

    it('stops scanning after a bounded number of records a rare filter rejects, without claiming the end', async () => {
      const { store, setAll } = fakeClient();
      setAll(Array.from({ length: 5_000 }, (_, i) => resolvedEvent(i + 1, { stream: 'other' })));

      const page = await store.readAll(undefined, 10, { streamPrefixes: ['link-'] });

      expect(page.events).toEqual([]);
      expect(page.checkpoint).toBe(checkpointOf(4_096));
      expect(page.isEnd).toBe(false);
    });
  });

  describe('reading a stream', () => {
    it('reads forwards from a revision up to an inclusive revision', async () => {
      const { store, calls, setStreamReads } = fakeClient();
      setStreamReads(() => fakeRead([resolvedEvent(2), resolvedEvent(3), resolvedEvent(4)]));

      const events = await store.readStream('link-1', { fromRevision: 2, toRevision: 4 });

      expect(calls.readStream[0]).toEqual({
        stream: 'link-1',
        options: { direction: 'forwards', fromRevision: 2n, maxCount: 3, resolveLinkTos: false, requiresLeader: true },
      });
      expect(events.map((event) => event.revision)).toEqual([2, 3, 4]);
    });

    it('asks for nothing when toRevision comes before fromRevision', async () => {
      const { store, calls } = fakeClient();
      expect(await store.readStream('link-1', { fromRevision: 3, toRevision: 2 })).toEqual([]);
      expect(calls.readStream).toEqual([]);
    });

    it('stops at the first event that occurred after `until` (our metadata, not the server clock) and cancels the read', async () => {
      const { store, reads, setStreamReads } = fakeClient();
      const at = (ms: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, 0, ms));
      const occurred = (n: number, occurredMs: number, createdMs: number) => {
        const resolved = resolvedEvent(n, { created: at(createdMs) });
        if (resolved.event) resolved.event.metadata = { occurredAt: at(occurredMs).toISOString() };
        return resolved;
      };
      // After a failover the new leader's clock is behind: `created` goes backwards, occurredAt does not.
      setStreamReads(() => fakeRead([occurred(1, 100, 100), occurred(2, 200, 50), occurred(3, 201, 60)]));

      const events = await store.readStream('link-1', { until: at(200) });

      expect(ns(events)).toEqual([1, 2]);
      expect(reads[0]?.cancelled).toBe(true);
    });

    it('reads a stream that does not exist as empty', async () => {
      const { store, setStreamReads } = fakeClient();
      setStreamReads(() => fakeRead([], new StreamNotFoundError(undefined, 'link-404')));
      expect(await store.readStream('link-404')).toEqual([]);
    });

    it('lets a read failure that is not transient through', async () => {
      const { store, setStreamReads } = fakeClient();
      setStreamReads(() => fakeRead([], new AccessDeniedError(undefined, 'no read access')));
      await expect(store.readStream('link-1')).rejects.toBeInstanceOf(AccessDeniedError);
    });
  });

  describe('appending', () => {
    it("writes the caller's event ids as JSON with the expected revision, and returns the last event's checkpoint", async () => {
      const { store, calls, setAppend, setStreamReads } = fakeClient();
      setAppend(async () => ({ success: true, nextExpectedRevision: 1n, position: { commit: 700n, prepare: 600n } }));
      setStreamReads(() => fakeRead([resolvedEvent(7, { revision: 1 })]));

      const result = await store.appendToStream('link-1', [anEvent('id-1'), anEvent('id-2')], 'no_stream');

      expect(calls.append[0]?.options).toEqual({ expectedRevision: NO_STREAM });
      expect(calls.append[0]?.events).toMatchObject([
        { id: idOf('id-1'), contentType: 'application/json', type: 'LinkRequested', data: { linkId: 'lnk_1' } },
        { id: idOf('id-2'), contentType: 'application/json' },
      ]);
      expect(calls.readStream[0]).toMatchObject({
        stream: 'link-1',
        options: { fromRevision: 1n, maxCount: 1, requiresLeader: true },
      });
      expect(result).toEqual({ nextExpectedRevision: 1, position: 700, checkpoint: checkpointOf(7) });
    });

    it("takes one event's reported position as it is, reading nothing back", async () => {
      const { store, calls, setAppend } = fakeClient();
      setAppend(async () => ({ success: true, nextExpectedRevision: 4n, position: { commit: 800n, prepare: 800n } }));

      expect(await store.appendToStream('link-1', [anEvent('id-1')], 'no_stream')).toEqual({
        nextExpectedRevision: 4,
        position: 800,
        checkpoint: checkpointOf(8),
      });
      expect(calls.readStream).toEqual([]);
    });

    it('reads back the position of an idempotent answer that reports none', async () => {
      const { store, calls, setAppend, setStreamReads } = fakeClient();
      setAppend(async () => ({ success: true, nextExpectedRevision: 0n, position: undefined }));
      setStreamReads(() => fakeRead([resolvedEvent(5, { revision: 0 })]));

      expect(await store.appendToStream('link-1', [anEvent('id-1')], 'no_stream')).toEqual({
        nextExpectedRevision: 0,
        position: 500,
        checkpoint: checkpointOf(5),
      });
      expect(calls.readStream).toHaveLength(1);
    });

    it('falls back to the position the append reported when the event cannot be read back', async () => {
      const { store, setAppend, setStreamReads } = fakeClient();
      setAppend(async () => ({ success: true, nextExpectedRevision: 1n, position: { commit: 900n, prepare: 850n } }));
      // The chain tip (no stream yet), then the read-back that finds nothing.
      setStreamReads(
        () => fakeRead([]),
        () => fakeRead([]),
      );

      expect(await store.appendToStream('link-1', [anEvent('id-1'), anEvent('id-2')], 'any')).toEqual({
        nextExpectedRevision: 1,
        position: 900,
        checkpoint: toCheckpoint({ commit: 900n, prepare: 850n }),
      });
    });

    it('keeps a successful append successful when reading its position back fails', async () => {
      const { store, setAppend, setStreamReads } = fakeClient();
      setAppend(async () => ({ success: true, nextExpectedRevision: 2n, position: { commit: 300n, prepare: 250n } }));
      setStreamReads(
        () => fakeRead([resolvedEvent(2, { revision: 0 })]),
        () => fakeRead([], new UnavailableError(undefined, 'node down')),
      );

      expect(await store.appendToStream('link-1', [anEvent('id-1'), anEvent('id-2')], 0)).toEqual({
        nextExpectedRevision: 2,
        position: 300,
        checkpoint: toCheckpoint({ commit: 300n, prepare: 250n }),
      });
    });

    it('turns the client conflict into the port conflict with the actual revision', async () => {
      const { store, setAppend, setStreamReads } = fakeClient();
      setStreamReads(() => fakeRead([resolvedEvent(2, { revision: 0 })]));
      setAppend(async () => {
        throw new WrongExpectedVersionError(undefined, { streamName: 'link-1', expected: 0n, current: 3n });
      });

      const failure = await store.appendToStream('link-1', [anEvent('id-1')], 0).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
      expect(failure).toMatchObject({ stream: 'link-1', expected: 0, actual: 3 });
    });

    it('lets a failure that is not transient through unchanged, after one attempt', async () => {
      const { store, calls, setAppend, setStreamReads } = fakeClient();
      setStreamReads(() => fakeRead([]));
      const denied = new AccessDeniedError(undefined, 'no write access');
      setAppend(async () => {
        throw denied;
      });
      await expect(store.appendToStream('link-1', [anEvent('id-1')], 'any')).rejects.toBe(denied);
      expect(calls.append).toHaveLength(1);
    });

    it('refuses an event whose data has no JSON form before calling the server', async () => {
      const { store, calls } = fakeClient();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(
        store.appendToStream('link-1', [{ ...anEvent('id-1'), data: cyclic }], 'no_stream'),
      ).rejects.toBeInstanceOf(EventNotSerialisableError);
      await expect(
        store.appendToStream('link-1', [{ ...anEvent('id-1'), data: { amount: 10n } }], 'no_stream'),
      ).rejects.toThrow('its data is not JSON');
      await expect(store.appendToStream('link-1', [{ ...anEvent('id-1'), data: undefined }], 0)).rejects.toThrow(
        'its data has no JSON form',
      );
      await expect(store.appendToStream('link-1', [{ ...anEvent('id-1'), id: 'id-1' }], 0)).rejects.toThrow(
        'its id is not a UUID',
      );
      expect(calls.append).toEqual([]);
    });

    it('refuses an append of no events', async () => {
      const { store, calls } = fakeClient();
      await expect(store.appendToStream('link-1', [], 'any')).rejects.toThrow('at least one event');
      expect(calls.append).toEqual([]);
    });
  });

  it('refuses to subscribe from a checkpoint another store made', () => {
    const { store } = fakeClient();
    expect(() => store.subscribeToAll({ from: '42', onEvents: async () => {} })).toThrow('Not an EventStoreDB');
  });

  it('stops running subscriptions and disposes the client on close', async () => {
    const { store, calls } = fakeClient();
    const subscription = store.subscribeToAll({ onEvents: async () => {} });
    await store.close();
    expect(calls.disposed).toBe(true);
    await subscription.stop();
  });
});
