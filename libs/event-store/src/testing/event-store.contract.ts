import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventData, EventMetadata, EventStore, RecordedEvent } from '../event-store.port';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';

export interface ContractSubject {
  store: EventStore;
  cleanup: () => Promise<void>;
}

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: { type: 'system', id: 'contract-test' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  requestId: randomUUID(),
  occurredAt: '2026-11-21T10:00:00.000Z',
  ...overrides,
});

export const anEvent = (type = 'SomethingHappened', data: unknown = { n: 1 }): EventData => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(),
});

const newStream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function conflictOf(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return error;
    throw error;
  }
  throw new Error('expected a WrongExpectedRevisionError');
}

/**
 * The chain recomputed from the formula in API.md with the library and node:crypto directly, not with the code
 * under test: `hash = hex(SHA-256(previousHash + "." + JCS({ type, data, metadata without hash })))`.
 */
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

/** The behaviour every event store adapter must show; each adapter's spec calls this with its own setup. */
export function describeEventStoreContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`event store contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    }, 120_000);

    afterAll(async () => {
      await subject?.cleanup();
    });

    describe('appending', () => {
      it('creates a stream with no_stream and returns its revision, global position and checkpoint', async () => {
        const stream = newStream();
        const first = anEvent('LinkRequested', { linkId: 'lnk_1' });
        const result = await store.appendToStream(stream, [first, anEvent()], 'no_stream');

        expect(result.nextExpectedRevision).toBe(1);
        expect(result.position).toBeGreaterThan(0);
        const events = await store.readStream(stream);
        expect(events.map((event) => event.revision)).toEqual([0, 1]);
        expect(events[1]?.globalPosition).toBe(result.position);
        expect(events[1]?.checkpoint).toBe(result.checkpoint);

        // One event: the position the append reports is that event's own (EventStoreDB reads nothing back).
        const single = await store.appendToStream(stream, [anEvent()], 1);
        const [third] = await store.readStream(stream, { fromRevision: 2 });
        expect(third?.checkpoint).toBe(single.checkpoint);
        expect(third?.globalPosition).toBe(single.position);
      });

      it('keeps the whole envelope: id, type, data, metadata, stream, revision, position, recorded-at', async () => {
        const stream = newStream();
        const event = anEvent('BankAuthenticationSucceeded', { methods: ['password', 'otp_sms'], nested: { a: [1] } });
        const before = Date.now();
        await store.appendToStream(stream, [event], 'no_stream');
        const [recorded] = await store.readStream(stream);

        expect(recorded).toMatchObject({
          id: event.id,
          type: 'BankAuthenticationSucceeded',
          data: event.data,
          metadata: event.metadata,
          streamName: stream,
          revision: 0,
        });
        expect(recorded?.recordedAt).toBeInstanceOf(Date);
        // Clocks of a store server and this process may differ a little; a minute bounds it.
        expect(Math.abs((recorded?.recordedAt.getTime() ?? 0) - before)).toBeLessThan(60_000);
      });

      it('appends after the exact revision it expects', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [anEvent()], 'no_stream');
        const result = await store.appendToStream(stream, [anEvent(), anEvent()], 0);
        expect(result.nextExpectedRevision).toBe(2);
      });

      it('appends with any whether or not the stream exists', async () => {
        const stream = newStream();
        expect((await store.appendToStream(stream, [anEvent()], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(stream, [anEvent()], 'any')).nextExpectedRevision).toBe(1);
      });

      it('refuses no_stream on an existing stream with a conflict carrying expected and actual', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [anEvent(), anEvent()], 'no_stream');
        const conflict = await conflictOf(store.appendToStream(stream, [anEvent()], 'no_stream'));
        expect(conflict).toMatchObject({ stream, expected: 'no_stream', actual: 1 });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses a stale exact revision, and an exact revision on a stream that does not exist', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [anEvent(), anEvent(), anEvent()], 'no_stream');
        expect(await conflictOf(store.appendToStream(stream, [anEvent()], 1))).toMatchObject({
          expected: 1,
          actual: 2,
        });
        expect(await conflictOf(store.appendToStream(newStream(), [anEvent()], 0))).toMatchObject({
          expected: 0,
          actual: 'no_stream',
        });
      });

      it('lets exactly one of N concurrent appenders at one revision win; the rest conflict; nothing is lost', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [anEvent()], 'no_stream');
        const contenders = Array.from({ length: 12 }, (_, i) => anEvent('Contended', { contender: i }));

        const outcomes = await Promise.allSettled(contenders.map((event) => store.appendToStream(stream, [event], 0)));

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(11);
        for (const loser of losers) {
          expect((loser as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((loser as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 1 });
        }
        const events = await store.readStream(stream);
        expect(events).toHaveLength(2);
        const winner = contenders[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
        expect(events[1]?.id).toBe(winner?.id);
      });

      it('does not duplicate events re-appended with the same ids at the same no_stream or exact revision', async () => {
        const stream = newStream();
        const batch = [anEvent(), anEvent()];
        const first = await store.appendToStream(stream, batch, 'no_stream');
        const again = await store.appendToStream(stream, batch, 'no_stream');
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);

        const next = [anEvent()];
        await store.appendToStream(stream, next, 1);
        await store.appendToStream(stream, next, 1);
        // Once the stream has moved on, the ids are found where the expectation puts them, not in a cache of
        // recent writes (EventStoreDB's only means for `any`, which the port therefore does not promise).
        const later = Array.from({ length: 20 }, () => anEvent('Later'));
        await store.appendToStream(stream, later, 2);
        // As at first: the answer names the revision of the last re-appended event, not the stream's end.
        expect((await store.appendToStream(stream, batch, 'no_stream')).nextExpectedRevision).toBe(1);
        expect((await store.appendToStream(stream, next, 1)).nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).map((event) => event.id)).toEqual([
          batch[0]?.id,
          batch[1]?.id,
          next[0]?.id,
          ...later.map((event) => event.id),
        ]);
      });

      it('stores large payloads and unicode exactly', async () => {
        const stream = newStream();
        const text = '山田 太郎 ﾔﾏﾀﾞ ﾀﾛｳ 髙橋 𠮷野家 👨‍👩‍👧 e\u0301 ガ\u3099 \u00a0 "quoted" \\ back';
        const large = { blob: 'あ'.repeat(400_000), items: Array.from({ length: 2_000 }, (_, i) => ({ i, text })) };
        await store.appendToStream(stream, [anEvent('Unicode', { text }), anEvent('Large', large)], 'no_stream');
        const [unicode, big] = await store.readStream(stream);
        expect(unicode?.data).toEqual({ text });
        expect(big?.data).toEqual(large);
      });
    });

    describe('reading a stream', () => {
      it('reads in revision order (past ten, where text order would differ), from and to a revision', async () => {
        const stream = newStream();
        const numbers = Array.from({ length: 12 }, (_, i) => i);
        await store.appendToStream(
          stream,
          numbers.slice(0, 9).map((i) => anEvent('Numbered', { i })),
          'no_stream',
        );
        await store.appendToStream(
          stream,
          numbers.slice(9).map((i) => anEvent('Numbered', { i })),
          8,
        );

        const events = await store.readStream(stream);
        expect(events.map((event) => (event.data as { i: number }).i)).toEqual(numbers);
        expect(events.map((event) => event.revision)).toEqual(numbers);
        const positions = events.map((event) => event.globalPosition);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        const middle = await store.readStream(stream, { fromRevision: 2, toRevision: 10 });
        expect(middle.map((event) => event.revision)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });

      it('reads a stream as it was at a moment: cut before its first event that occurred after it', async () => {
        const stream = newStream();
        const at = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`;
        const occurred = (type: string, minute: number): EventData => ({
          ...anEvent(type),
          metadata: metadata({ occurredAt: at(minute) }),
        });
        // The third occurred before the second (another replica's clock): "as of 10:01:30" still ends at the first.
        await store.appendToStream(stream, [occurred('First', 0)], 'no_stream');
        await store.appendToStream(stream, [occurred('Second', 2), occurred('Third', 1)], 0);
        const asOf = async (instant: string) =>
          (await store.readStream(stream, { until: new Date(instant) })).map((event) => event.type);

        expect(await asOf('2026-11-21T10:01:30.000Z')).toEqual(['First']);
        expect(await asOf(at(0))).toEqual(['First']);
        expect(await asOf(at(2))).toEqual(['First', 'Second', 'Third']);
        expect(await asOf('2026-11-21T09:59:59.999Z')).toEqual([]);
        // The cut is by when events occurred, not when the store wrote them (now, long after 2026-11-21 10:02).
        expect(await asOf(new Date(Date.now() - 3_600_000).toISOString())).toEqual(['First', 'Second', 'Third']);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
      });

      it('reads several streams at once, each whole and in the order asked, a stream that does not exist as none', async () => {
        const [a, b, missing] = [newStream(), newStream(), newStream()];
        await store.appendToStream(a, [anEvent('Numbered', { i: 0 }), anEvent('Numbered', { i: 1 })], 'no_stream');
        await store.appendToStream(b, [anEvent('Numbered', { i: 2 })], 'no_stream');
        const read = await store.readStreams([b, missing, a, b]);
        expect(read).toEqual([await store.readStream(b), [], await store.readStream(a), await store.readStream(b)]);
        expect(read[2]?.map((event) => event.revision)).toEqual([0, 1]);
        expect(await store.readStreams([])).toEqual([]);
      });

      it("reads a stream's last event alone (past ten revisions), and none of a stream that does not exist", async () => {
        const stream = newStream();
        await store.appendToStream(
          stream,
          Array.from({ length: 11 }, (_, i) => anEvent('Numbered', { i })),
          'no_stream',
        );
        const last = await store.readLastEvent(stream);
        expect(last).toEqual((await store.readStream(stream)).at(-1));
        expect(last).toMatchObject({ revision: 10, data: { i: 10 } });
        expect(await store.readLastEvent(newStream())).toBeUndefined();
      });
    });

    describe('the global log', () => {
      async function readAllOf(prefix: string): Promise<RecordedEvent[]> {
        const seen: RecordedEvent[] = [];
        let checkpoint: string | undefined;
        for (;;) {
          const page = await store.readAll(checkpoint, 50, { streamPrefixes: [prefix] });
          seen.push(...page.events);
          checkpoint = page.checkpoint;
          if (page.isEnd) return seen;
        }
      }

      it('reads every stream in one order, each stream in revision order, checkpoints increasing', async () => {
        const prefix = `order${randomUUID().slice(0, 8)}`;
        const streams = [newStream(prefix), newStream(prefix), newStream(prefix)];
        for (let round = 0; round < 11; round++) {
          for (const stream of streams) {
            await store.appendToStream(stream, [anEvent('Round', { round })], round === 0 ? 'no_stream' : round - 1);
          }
        }
        const all = await readAllOf(prefix);
        expect(all).toHaveLength(33);
        for (let i = 1; i < all.length; i++) {
          expect((all[i]?.checkpoint ?? '') > (all[i - 1]?.checkpoint ?? '')).toBe(true);
        }
        for (const stream of streams) {
          expect(all.filter((event) => event.streamName === stream).map((event) => event.revision)).toEqual([
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
          ]);
        }
      });

      it('filters by event type and stream prefix, and pages past events it filtered out', async () => {
        const prefix = `filter${randomUUID().slice(0, 8)}`;
        const stream = newStream(prefix);
        await store.appendToStream(stream, [anEvent('Wanted'), anEvent('Unwanted'), anEvent('Wanted')], 'no_stream');
        const page = await store.readAll(undefined, 100_000, { streamPrefixes: [prefix], eventTypes: ['Wanted'] });
        expect(page.events.map((event) => event.type)).toEqual(['Wanted', 'Wanted']);
        expect(page.checkpoint).toBeDefined();
      });
    });

    describe('subscribing to the global log', () => {
      it('catches up on history, then delivers new events live, in order', async () => {
        const prefix = `sub${randomUUID().slice(0, 8)}`;
        const stream = newStream(prefix);
        await store.appendToStream(stream, [anEvent('Old', { i: 0 }), anEvent('Old', { i: 1 })], 'no_stream');
        const received: RecordedEvent[] = [];
        let caughtUpAt = -1;
        const subscription = store.subscribeToAll({
          filter: { streamPrefixes: [prefix] },
          onEvents: async (events) => {
            received.push(...events);
          },
          onCaughtUp: () => {
            if (caughtUpAt < 0) caughtUpAt = received.length;
          },
        });
        try {
          await subscription.caughtUp;
          expect(caughtUpAt).toBe(2);
          await store.appendToStream(stream, [anEvent('New', { i: 2 })], 1);
          await store.appendToStream(stream, [anEvent('New', { i: 3 })], 2);
          await until(() => received.length >= 4);
          expect(received.map((event) => (event.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        } finally {
          await subscription.stop();
        }
      });

      it('resumes after a checkpoint with only the events that followed it', async () => {
        const prefix = `resume${randomUUID().slice(0, 8)}`;
        const stream = newStream(prefix);
        const first = await store.appendToStream(stream, [anEvent('A'), anEvent('B')], 'no_stream');
        await store.appendToStream(stream, [anEvent('C')], 1);
        const received: string[] = [];
        const subscription = store.subscribeToAll({
          from: first.checkpoint,
          filter: { streamPrefixes: [prefix] },
          onEvents: async (events) => {
            received.push(...events.map((event) => event.type));
          },
        });
        try {
          await until(() => received.length >= 1);
          await subscription.caughtUp;
          expect(received).toEqual(['C']);
        } finally {
          await subscription.stop();
        }
      });

      it('redelivers a batch the handler failed on, after a backoff, skipping nothing', async () => {
        const prefix = `retry${randomUUID().slice(0, 8)}`;
        const stream = newStream(prefix);
        await store.appendToStream(stream, [anEvent('One'), anEvent('Two')], 'no_stream');
        const received: string[] = [];
        const errors: number[] = [];
        let failures = 1;
        const subscription = store.subscribeToAll({
          filter: { streamPrefixes: [prefix] },
          backoff: { initialMs: 5, maxMs: 20 },
          onError: (_error, attempt) => errors.push(attempt),
          onEvents: async (events) => {
            if (failures-- > 0) throw new Error('handler failed once');
            received.push(...events.map((event) => event.type));
          },
        });
        try {
          await until(() => received.length >= 2);
          await store.appendToStream(stream, [anEvent('Three')], 1);
          await until(() => received.length >= 3);
          expect(received).toEqual(['One', 'Two', 'Three']);
          expect(errors).toEqual([1]);
        } finally {
          await subscription.stop();
        }
      });
    });

    describe('the hash chain', () => {
      it('chains every event of a stream from 64 zeros, recomputable from what a read returns', async () => {
        const stream = newStream();
        const text = '山田 太郎 ﾔﾏﾀﾞ 𠮷 👨‍👩‍👧 e\u0301 "q" \\ \u2028 \u0007';
        await store.appendToStream(
          stream,
          [
            anEvent('LinkRequested', { linkId: 'lnk_1', amount: 1e21, ratio: 0.1, negative: -0, tiny: 5e-324 }),
            anEvent('Unicode', { text, z: 1, a: { y: [true, null, 'x'], b: {} }, 日本: 'key order by UTF-16' }),
          ],
          'no_stream',
        );
        await store.appendToStream(stream, [anEvent('ThenOne')], 1);
        await store.appendToStream(stream, [anEvent('ThenTwo'), anEvent('ThenThree')], 'any');
        const events = await store.readStream(stream);
        expect(events).toHaveLength(5);
        expectChained(events);
        // Each stream has its own chain.
        const other = newStream();
        await store.appendToStream(other, [anEvent()], 'any');
        const [first] = await store.readStream(other);
        expect(first?.metadata.previousHash).toBe('0'.repeat(64));
        expectChained([first as RecordedEvent]);
      });

      it('writes the chain itself: hashes a caller put in the metadata are replaced', async () => {
        const stream = newStream();
        const forged = anEvent();
        forged.metadata = { ...forged.metadata, previousHash: 'f'.repeat(64), hash: 'e'.repeat(64) };
        await store.appendToStream(stream, [forged], 'no_stream');
        const events = await store.readStream(stream);
        expect(events[0]?.metadata.previousHash).toBe('0'.repeat(64));
        expectChained(events);
      });

      it('keeps one unbroken chain under concurrent any appends to one stream', async () => {
        const stream = newStream();
        await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            store.appendToStream(
              stream,
              i % 3 === 0 ? [anEvent('Pair', { i }), anEvent('Pair', { i })] : [anEvent('One', { i })],
              'any',
            ),
          ),
        );
        const events = await store.readStream(stream);
        expect(events).toHaveLength(16 + 6);
        expectChained(events);
      });

      it('gives a re-appended event the hash it was first written with', async () => {
        const stream = newStream();
        const batch = [anEvent(), anEvent()];
        await store.appendToStream(stream, batch, 'no_stream');
        const before = await store.readStream(stream);
        await store.appendToStream(stream, batch, 'no_stream');
        expect(await store.readStream(stream)).toEqual(before);
      });
    });
  });
}
