import type { Checkpoint, ReadAllResult, RecordedEvent } from '../event-store.port';
import { SharedLogReader } from './shared-log-reader';

function event(position: number, streamName: string): RecordedEvent {
  return {
    id: `e${position}`,
    type: 'Happened',
    data: {},
    metadata: {
      actor: { type: 'system', id: 'test' },
      correlationId: 'c',
      causationId: 'c',
      occurredAt: '2026-12-02T00:00:00.000Z',
    },
    streamName,
    revision: 0,
    globalPosition: position,
    checkpoint: String(position).padStart(8, '0'),
    recordedAt: new Date(0),
  };
}

/** A log in memory, read page by page, counting its reads; appends say so through the listener. */
class MemoryLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  listens = 0;
  unlistens = 0;
  failNext = false;
  private wake: (() => void) | undefined;

  readPage = async (from: Checkpoint | undefined, limit: number): Promise<ReadAllResult> => {
    this.reads += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database away');
    }
    const after = this.events.filter((e) => from === undefined || e.checkpoint > from).slice(0, limit);
    return { events: after, checkpoint: after.at(-1)?.checkpoint ?? from, isEnd: after.length < limit };
  };

  listen = async (wake: () => void) => {
    this.listens += 1;
    this.wake = wake;
    return async () => {
      this.unlistens += 1;
    };
  };

  append(streamName: string, notify = true): void {
    this.events.push(event(this.events.length + 1, streamName));
    if (notify) this.wake?.();
  }
}

describe('the shared log reader', () => {
  it('reads a page once for every subscriber asking at the same checkpoint, each with its own filter', async () => {
    const log = new MemoryLog();
    log.append('link-1', false);
    log.append('debit-1', false);
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000);
    const [links, debits, all] = await Promise.all([
      reader.readAll(undefined, 10, { streamPrefixes: ['link-'] }),
      reader.readAll(undefined, 10, { streamPrefixes: ['debit-'] }),
      reader.readAll(undefined, 10),
    ]);
    expect(log.reads).toBe(1);
    expect(links.events.map((e) => e.streamName)).toEqual(['link-1']);
    expect(debits.events.map((e) => e.streamName)).toEqual(['debit-1']);
    expect(all.events).toHaveLength(2);
    // The checkpoint moves past what a filter left out, for every subscriber alike.
    expect(links.checkpoint).toBe(all.checkpoint);
    expect(debits.checkpoint).toBe(all.checkpoint);
  });

  it('never hands a woken subscriber a page read before the append that woke it', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000);
    const source = reader.source();
    let woken = 0;
    await source.onAppended(() => {
      woken += 1;
    });
    const before = await source.readAll(undefined, 10);
    expect(before.events).toHaveLength(0);
    log.append('link-1');
    expect(woken).toBe(1);
    const after = await source.readAll(undefined, 10);
    expect(after.events.map((e) => e.streamName)).toEqual(['link-1']);
    expect(log.reads).toBe(2);
  });

  it('serves subscribers at different checkpoints near the head from its tail: one read of an append for all', async () => {
    const log = new MemoryLog();
    for (let i = 1; i <= 5; i++) log.append(`link-${i}`, false);
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000);
    await reader.source().onAppended(() => undefined);
    const head = await reader.readAll(undefined, 10);
    expect(head).toMatchObject({ isEnd: true, checkpoint: '00000005' });
    // Three subscribers, each where its own batches left it: served from the tail, no read.
    const at = ['00000002', '00000004', '00000005'];
    const before = log.reads;
    const served = await Promise.all(at.map((from) => reader.readAll(from, 10)));
    expect(served.map((page) => page.events.map((e) => e.streamName))).toEqual([
      ['link-3', 'link-4', 'link-5'],
      ['link-5'],
      [],
    ]);
    expect(served.every((page) => page.isEnd && page.checkpoint === '00000005')).toBe(true);
    expect(log.reads).toBe(before);
    // An append wakes them: one read from the tail's end, whatever each one's checkpoint.
    log.append('debit-1');
    const woken = await Promise.all(
      served.map((page) => reader.readAll(page.checkpoint, 10, { streamPrefixes: ['debit-'] })),
    );
    expect(log.reads).toBe(before + 1);
    expect(woken.map((page) => [page.events.map((e) => e.streamName), page.checkpoint, page.isEnd])).toEqual([
      [['debit-1'], '00000006', true],
      [['debit-1'], '00000006', true],
      [['debit-1'], '00000006', true],
    ]);
    // A page limit inside the tail is kept: the rest comes with the next ask.
    expect(await reader.readAll('00000001', 2)).toMatchObject({ checkpoint: '00000003', isEnd: false });
    // A subscriber before the tail (it starts where the first read that reached the head started) reads pages.
    const late = new SharedLogReader(log.readPage, log.listen, 1_000);
    expect((await late.readAll('00000004', 10)).events).toHaveLength(2);
    const reads = log.reads;
    expect((await late.readAll('00000004', 10)).events).toHaveLength(2);
    expect(log.reads).toBe(reads);
    expect((await late.readAll(undefined, 3)).events.map((e) => e.streamName)).toEqual(['link-1', 'link-2', 'link-3']);
    expect(log.reads).toBe(reads + 1);
  });

  it('reads the appends of a busy moment at the head once: the reads that extend its tail start an interval apart', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000, 100);
    await reader.source().onAppended(() => undefined);
    expect((await reader.readAll(undefined, 10)).isEnd).toBe(true);
    log.append('link-1');
    expect((await reader.readAll(undefined, 10)).events).toHaveLength(1);
    const reads = log.reads;
    // Two more appends within the interval: the ask after the first waits, then one read brings both.
    log.append('link-2');
    const started = Date.now();
    const asked = reader.readAll('00000001', 10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.append('link-3');
    expect((await asked).events.map((e) => e.streamName)).toEqual(['link-2', 'link-3']);
    expect(log.reads).toBe(reads + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('extends its tail at once while behind the head (its last read was a full one)', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000, 60_000);
    await reader.source().onAppended(() => undefined);
    expect((await reader.readAll(undefined, 10)).isEnd).toBe(true);
    for (let i = 1; i <= 600; i++) log.append(`link-${i}`);
    expect((await reader.readAll(undefined, 1_000)).events).toHaveLength(500);
    // An interval of a minute, and yet the rest comes now: the tail is not at the head.
    const rest = await reader.readAll('00000500', 1_000);
    expect(rest).toMatchObject({ isEnd: true, checkpoint: '00000600' });
    expect(rest.events).toHaveLength(100);
  });

  it('extends its tail after an append that reached it without a wake-up once its read is too old to share', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 400);
    expect((await reader.readAll(undefined, 10)).isEnd).toBe(true);
    log.append('link-1', false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await reader.readAll(undefined, 10)).events.map((e) => e.streamName)).toEqual(['link-1']);
  });

  it('reads afresh once a page is older than it may be shared, so a poll after a missed wake-up sees the append', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 400); // shared for at most 200 ms
    expect((await reader.readAll(undefined, 10)).events).toHaveLength(0);
    log.append('link-1', false); // no NOTIFY reaches this process
    expect((await reader.readAll(undefined, 10)).events).toHaveLength(0); // within the same instant: shared
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await reader.readAll(undefined, 10)).events).toHaveLength(1);
  });

  it('does not keep a failed read: the next ask reads again', async () => {
    const log = new MemoryLog();
    log.append('link-1', false);
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000);
    log.failNext = true;
    await expect(reader.readAll(undefined, 10)).rejects.toThrow('database away');
    expect((await reader.readAll(undefined, 10)).events).toHaveLength(1);
    expect(log.reads).toBe(2);
  });

  it('listens once for all its subscribers, and stops when the last one leaves', async () => {
    const log = new MemoryLog();
    const reader = new SharedLogReader(log.readPage, log.listen, 1_000);
    const woken: string[] = [];
    const stopA = await reader.source().onAppended(() => woken.push('a'));
    const stopB = await reader.source().onAppended(() => woken.push('b'));
    expect(log.listens).toBe(1);
    log.append('link-1');
    expect(woken).toEqual(['a', 'b']);
    await stopA();
    expect(log.unlistens).toBe(0);
    log.append('link-2');
    expect(woken).toEqual(['a', 'b', 'b']);
    await stopB();
    expect(log.unlistens).toBe(1);
    await reader.source().onAppended(() => woken.push('c'));
    expect(log.listens).toBe(2);
  });
});
