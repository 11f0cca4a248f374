import type { Checkpoint, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { EventStoreDbAllSubscription, SubscriptionDroppedError } from './all-subscription';
import { toCheckpoint } from './checkpoint';
import { FakeAllSubscription, resolvedEvent } from './testing/fake-client-streams';

const checkpointOf = (n: number) => toCheckpoint({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
const numbers = (events: readonly RecordedEvent[]) => events.map((event) => (event.data as { n: number }).n);

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A subscription over fake client streams: each (re)subscription opens the next one and records where from. */
function harness(options: Partial<SubscribeToAllOptions> = {}) {
  const opened: { after: Checkpoint | undefined; stream: FakeAllSubscription }[] = [];
  const batches: { events: RecordedEvent[]; checkpoint: Checkpoint | undefined }[] = [];
  const log: string[] = [];
  const errors: { error: unknown; attempt: number }[] = [];
  const subscription = new EventStoreDbAllSubscription(
    (after) => {
      const stream = new FakeAllSubscription();
      opened.push({ after, stream });
      return stream.asClientSubscription();
    },
    {
      backoff: { initialMs: 1, maxMs: 4 },
      onEvents: async (events, checkpoint) => {
        batches.push({ events, checkpoint });
        log.push(`events ${numbers(events).join(',')}`);
      },
      onCaughtUp: () => log.push('caught up'),
      onError: (error, attempt) => errors.push({ error, attempt }),
      ...options,
    },
  );
  const stream = (index: number) => {
    const entry = opened[index];
    if (!entry) throw new Error(`subscription ${index} was not opened`);
    return entry.stream;
  };
  return { subscription, opened, batches, log, errors, stream };
}

describe('EventStoreDB subscription to $all', () => {
  it('hands over what the client has buffered as one batch, in order, with the checkpoint after it', async () => {
    const { subscription, batches, stream } = harness();
    stream(0).send(resolvedEvent(1), resolvedEvent(2), resolvedEvent(3));

    await until(() => batches.length === 1);
    expect(numbers(batches[0]?.events ?? [])).toEqual([1, 2, 3]);
    expect(batches[0]?.checkpoint).toBe(checkpointOf(3));
    expect(subscription.checkpoint).toBe(checkpointOf(3));
    await subscription.stop();
  });

  it('never gives the handler more than batchSize events at once', async () => {
    const { subscription, batches, stream } = harness({ batchSize: 2 });
    stream(0).send(resolvedEvent(1), resolvedEvent(2), resolvedEvent(3));

    await until(() => batches.length === 2);
    expect(batches.map((batch) => numbers(batch.events))).toEqual([[1, 2], [3]]);
    await subscription.stop();
  });

  it('waits for the handler to finish a batch before handing over the next', async () => {
    const release = deferred();
    let running = 0;
    let overlapped = false;
    const calls: number[][] = [];
    const { subscription, stream } = harness({
      onEvents: async (events) => {
        running += 1;
        overlapped ||= running > 1;
        calls.push(numbers(events));
        if (calls.length === 1) await release.promise;
        running -= 1;
      },
    });
    stream(0).send(resolvedEvent(1));
    await until(() => calls.length === 1);
    stream(0).send(resolvedEvent(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([[1]]);

    release.resolve();
    await until(() => calls.length === 2);
    expect(calls).toEqual([[1], [2]]);
    expect(overlapped).toBe(false);
    await subscription.stop();
  });

  it('says it caught up only after handing over everything the server sent before its caught-up message', async () => {
    const { subscription, log, stream } = harness();
    stream(0).send(resolvedEvent(1), resolvedEvent(2)).signalCaughtUp();

    await subscription.caughtUp;
    expect(log).toEqual(['events 1,2', 'caught up']);
    await subscription.stop();
  });

  it('says it caught up again after falling behind and catching up once more', async () => {
    const { subscription, log, stream } = harness();
    stream(0).signalCaughtUp();
    await until(() => log.length === 1);
    stream(0).emit('fellBehind');
    stream(0).send(resolvedEvent(1)).signalCaughtUp();

    await until(() => log.length === 3);
    expect(log).toEqual(['caught up', 'events 1', 'caught up']);
    await subscription.stop();
  });

  it("leaves out EventStoreDB's own events and the filter's rejects, but moves the checkpoint past them", async () => {
    const { subscription, batches, stream } = harness({ filter: { streamPrefixes: ['link-'] } });
    stream(0).send(
      resolvedEvent(1, { type: '$statsCollected', stream: '$stats-127.0.0.1:2113' }),
      resolvedEvent(2, { stream: 'other-1' }),
      resolvedEvent(3, { stream: 'link-7' }),
      resolvedEvent(4, { type: '$metadata', stream: '$$link-7' }),
    );
    await until(() => batches.length === 1);
    expect(numbers(batches[0]?.events ?? [])).toEqual([3]);
    expect(batches[0]?.checkpoint).toBe(checkpointOf(4));

    stream(0).send(
      resolvedEvent(5, { type: '$>', stream: '$et-LinkRequested' }),
      resolvedEvent(6, { stream: 'other-2' }),
    );
    await until(() => batches.length === 2);
    expect(batches[1]).toEqual({ events: [], checkpoint: checkpointOf(6) });
    expect(subscription.checkpoint).toBe(checkpointOf(6));
    await subscription.stop();
  });

  it('filters by event type too', async () => {
    const { subscription, batches, stream } = harness({ filter: { eventTypes: ['LinkActivated'] } });
    stream(0).send(resolvedEvent(1), resolvedEvent(2, { type: 'LinkActivated' }));
    await until(() => batches.length === 1);
    expect(batches[0]?.events.map((event) => event.type)).toEqual(['LinkActivated']);
    await subscription.stop();
  });

  it('offers a batch the handler failed on again, after a backoff, until it is accepted; nothing is skipped', async () => {
    const calls: number[][] = [];
    const { subscription, errors, stream } = harness({
      onEvents: async (events) => {
        calls.push(numbers(events));
        if (calls.length <= 2) throw new Error(`projection failed ${calls.length}`);
      },
    });
    stream(0).send(resolvedEvent(1), resolvedEvent(2));

    await until(() => calls.length === 3);
    expect(calls).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(errors.map(({ error, attempt }) => [(error as Error).message, attempt])).toEqual([
      ['projection failed 1', 1],
      ['projection failed 2', 2],
    ]);
    expect(subscription.checkpoint).toBe(checkpointOf(2));
    await subscription.stop();
  });

  it('resubscribes after the connection fails, after the last checkpoint the handler accepted', async () => {
    const { subscription, opened, batches, errors, stream } = harness();
    stream(0).send(resolvedEvent(1), resolvedEvent(2));
    await until(() => batches.length === 1);

    stream(0).destroy(new Error('14 UNAVAILABLE: Connection dropped'));
    await until(() => opened.length === 2);

    expect(opened[1]?.after).toBe(checkpointOf(2));
    expect(stream(0).unsubscribed).toBe(true);
    expect(errors).toEqual([{ error: new Error('14 UNAVAILABLE: Connection dropped'), attempt: 1 }]);
    stream(1).send(resolvedEvent(3));
    await until(() => batches.length === 2);
    expect(numbers(batches[1]?.events ?? [])).toEqual([3]);
    await subscription.stop();
  });

  it('treats the server ending the subscription as a drop and resubscribes', async () => {
    const { subscription, opened, errors, stream } = harness();
    stream(0).end();
    await until(() => opened.length === 2);
    expect(errors[0]?.error).toBeInstanceOf(SubscriptionDroppedError);
    expect(opened[1]?.after).toBeUndefined();
    await subscription.stop();
  });

  it('backs off longer with each failure in a row, and starts over once events flow again', async () => {
    const { subscription, opened, errors, batches, stream } = harness();
    stream(0).destroy(new Error('down'));
    await until(() => opened.length === 2);
    stream(1).destroy(new Error('still down'));
    await until(() => opened.length === 3);
    stream(2).send(resolvedEvent(1));
    await until(() => batches.length === 1);
    stream(2).destroy(new Error('down again'));
    await until(() => opened.length === 4);

    expect(errors.map(({ attempt }) => attempt)).toEqual([1, 2, 1]);
    await subscription.stop();
  });

  it('resumes after the checkpoint it was given and drops anything at or before it', async () => {
    const { subscription, opened, batches, stream } = harness({ from: checkpointOf(2) });
    expect(opened[0]?.after).toBe(checkpointOf(2));
    stream(0).send(resolvedEvent(2), resolvedEvent(3));
    await until(() => batches.length === 1);
    expect(numbers(batches[0]?.events ?? [])).toEqual([3]);
    await subscription.stop();
  });

  it('keeps retrying when the error reporter itself throws', async () => {
    const { subscription, opened, stream } = harness({
      onError: () => {
        throw new Error('logger broken');
      },
    });
    stream(0).destroy(new Error('down'));
    await until(() => opened.length === 2);
    await subscription.stop();
  });

  it('stops after the batch in the handler finishes, unsubscribes, and hands over nothing more', async () => {
    const release = deferred();
    const calls: number[][] = [];
    const { subscription, opened, stream } = harness({
      onEvents: async (events) => {
        calls.push(numbers(events));
        await release.promise;
      },
    });
    stream(0).send(resolvedEvent(1));
    await until(() => calls.length === 1);

    let stopped = false;
    const stopping = subscription.stop().then(() => {
      stopped = true;
    });
    stream(0).send(resolvedEvent(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);

    release.resolve();
    await stopping;
    expect(stream(0).unsubscribed).toBe(true);
    expect(subscription.checkpoint).toBe(checkpointOf(1));
    expect(calls).toEqual([[1]]);
    expect(opened).toHaveLength(1);
  });

  it('stops while waiting out a backoff without subscribing again', async () => {
    const { subscription, opened, stream } = harness({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    stream(0).destroy(new Error('down'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await subscription.stop();
    expect(opened).toHaveLength(1);
  });
});
