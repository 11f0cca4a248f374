import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  BACKWARDS,
  type AppendResult as ClientAppendResult,
  type EventData as ClientEventData,
  type ReadStreamOptions as ClientReadStreamOptions,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError,
} from '@eventstore/db-client';
import { AppendTooLargeError } from '../append-too-large.error';
import { chainEvents, GENESIS_HASH, withoutChainFields } from '../hash-chain/event-hash';
import type {
  AllFilter,
  AppendResult,
  Checkpoint,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { matchesFilter } from '../subscription/all-filter';
import { EventStoreDbAllSubscription } from './all-subscription';
import { fromCheckpoint, type LogPosition, toCheckpoint } from './checkpoint';
import { adapterConnectionString, callDeadlineMs } from './connection-string';
import { readWithDeadline } from './deadline-read';
import { knownPosition, occurredAtOf, positionOf, toClientEvent, toRecordedEvent } from './event-mapping';
import { toClientExpectedRevision } from './expected-revision';
import { assertSerialisable } from './serialisable-events';
import { checkServerVersion } from './server-version';
import { serverFilterOf } from './server-filter';
import { isSystemEventType } from './system-event';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryTransient } from './transient-failure';
import { withoutBatchAppend } from './unbatched-appends';
import { toWrongExpectedRevisionError } from './wrong-expected-version';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';

/** How many streams' last hash the adapter remembers from its own appends (an append that finds it reads nothing). */
const CHAIN_TIPS_REMEMBERED = 10_000;
/** An `any` append chains after the tip it read; another writer moving the tip first makes it read again. */
const ANY_APPEND_ATTEMPTS = 10;

/** The last event of a stream as the chain needs it: undefined revision for no stream; no hash for a legacy one. */
interface ChainTip {
  revision: number | undefined;
  hash: string | undefined;
}

/** A read of $all scans at most this many records (or `limit`, if larger), so a rare filter cannot pin a call. */
const MIN_SCAN_PER_READ = 4096;

export interface EventStoreDbOptions {
  /** Retries of transient failures (see `isTransientFailure`); defaults to `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Deadline of one read, in ms; `connect` gives it the connection's `defaultDeadline` (10 s unless set). */
  readDeadlineMs?: number;
}

/** The event store on EventStoreDB (production): streams are EventStoreDB streams, the global log is $all. */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();
  private readonly retry: RetryPolicy;
  private readonly readDeadlineMs: number;
  private readonly chainTips = new Map<string, ChainTip>();
  /** This process's appends to one stream, one after another: they would only conflict on the chain tip. */
  private readonly appendsInFlight = new Map<string, Promise<unknown>>();

  /** Takes the client as given; `connect` is the way in for a real one (it also avoids the batch append path). */
  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.readDeadlineMs = options.readDeadlineMs ?? 10_000;
  }

  /**
   * E.g. `esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true&tlsCAFile=/certs/ca.crt`. Resolves once
   * the cluster has answered with its version (23.10 or later); transient failures are retried as for any call.
   */
  static async connect(connectionString: string, options: EventStoreDbOptions = {}): Promise<EventStoreDbEventStore> {
    const client = withoutBatchAppend(EventStoreDBClient.connectionString(adapterConnectionString(connectionString)));
    const store = new EventStoreDbEventStore(client, { readDeadlineMs: callDeadlineMs(connectionString), ...options });
    try {
      await retryTransient('server version check', store.retry, () => checkServerVersion(client));
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /**
   * Transient failures are retried (bounded, with backoff) with the same event ids and the same expectation, so
   * an attempt that was written but whose answer was lost is answered by the server's idempotence.
   *
   * The hash chain is computed here (EventStoreDB runs no code of ours): after the hash of the event the
   * expectation names, read unless this adapter wrote it last. An `any` append becomes an exact one at the tip it
   * read, so no other writer can slip in between the hash and the write; on a conflict it reads the tip again.
   */
  async appendToStream(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    assertSerialisable(stream, events);
    const previous = this.appendsInFlight.get(stream) ?? Promise.resolve();
    const append = previous.catch(() => undefined).then(() => this.appendChainedAfterTip(stream, events, expected));
    this.appendsInFlight.set(stream, append);
    try {
      return await append;
    } finally {
      if (this.appendsInFlight.get(stream) === append) this.appendsInFlight.delete(stream);
    }
  }

  private async appendChainedAfterTip(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const tip = await this.chainTipFor(stream, expected);
      const exact: ExpectedRevision = expected !== 'any' ? expected : (tip.revision ?? 'no_stream');
      // A stream written before the chain stays unchained, as on PostgreSQL, until it is migrated.
      const chained =
        tip.revision !== undefined && tip.hash === undefined
          ? events.map((event) => ({ ...event, metadata: withoutChainFields(event.metadata) as EventData['metadata'] }))
          : chainEvents(tip.hash ?? GENESIS_HASH, events);
      try {
        const result = await this.appendChained(stream, chained, exact);
        this.rememberTip(stream, { revision: result.nextExpectedRevision, hash: chained.at(-1)?.metadata.hash });
        return result;
      } catch (error) {
        this.chainTips.delete(stream);
        if (expected === 'any' && error instanceof WrongExpectedRevisionError && attempt < ANY_APPEND_ATTEMPTS)
          continue;
        throw error;
      }
    }
  }

  private rememberTip(stream: string, tip: ChainTip): void {
    this.chainTips.delete(stream);
    this.chainTips.set(stream, tip);
    if (this.chainTips.size > CHAIN_TIPS_REMEMBERED) {
      const oldest = this.chainTips.keys().next().value;
      if (oldest !== undefined) this.chainTips.delete(oldest);
    }
  }

  /**
   * The event an append chains after. A remembered tip serves only when it is the revision expected (an exact
   * expectation) or as a first guess (`any`, which conflicts and reads again if the guess was stale).
   */
  private async chainTipFor(stream: string, expected: ExpectedRevision): Promise<ChainTip> {
    if (expected === 'no_stream') return { revision: undefined, hash: GENESIS_HASH };
    const remembered = this.chainTips.get(stream);
    if (remembered && (expected === 'any' || remembered.revision === expected)) return remembered;
    const tip = await this.readOneEvent(stream, expected === 'any' ? 'last' : expected);
    // An exact revision the stream does not have: the append will conflict; any hash will do until then.
    if (tip === undefined) return { revision: expected === 'any' ? undefined : expected, hash: GENESIS_HASH };
    const hash = tip.metadata.hash;
    return { revision: tip.revision, hash: typeof hash === 'string' ? hash : undefined };
  }

  private async readOneEvent(stream: string, at: number | 'last'): Promise<RecordedEvent | undefined> {
    return retryTransient(`read of the chain tip of ${stream}`, this.retry, async () => {
      let found: RecordedEvent | undefined;
      const read = this.client.readStream(stream, {
        direction: at === 'last' ? BACKWARDS : FORWARDS,
        fromRevision: at === 'last' ? END : BigInt(at),
        maxCount: 1,
        resolveLinkTos: false,
        requiresLeader: true,
      });
      try {
        await readWithDeadline(read, `read of the chain tip of ${stream}`, this.readDeadlineMs, (resolved) => {
          const record = resolved.event;
          if (record && (at === 'last' || Number(record.revision) === at)) {
            found = toRecordedEvent(record, positionOf(record));
          }
          return false;
        });
      } catch (error) {
        if (error instanceof StreamNotFoundError) return undefined;
        throw error;
      }
      return found;
    });
  }

  private async appendChained(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const proposed = events.map(toClientEvent);
    const expectedRevision = toClientExpectedRevision(expected);
    const result = await retryTransient(`append to ${stream}`, this.retry, () =>
      this.appendOnce(stream, proposed, expectedRevision, expected),
    );
    // The client throws on a conflict (the connection string insists), so this is only a refusal without one.
    if (!result.success) throw new Error(`EventStoreDB refused the append to ${stream} without saying why`);
    const reported = knownPosition(result.position);
    // One event's own position is what the server reports (commit and prepare alike); more events, or an
    // idempotent answer (no position), need the last event's position read back.
    const exact = events.length === 1 && reported !== undefined && reported.commit === reported.prepare;
    const position = exact
      ? reported
      : ((await this.positionOfRevision(stream, result.nextExpectedRevision)) ?? reported);
    if (!position) throw new Error(`EventStoreDB returned no log position for the append to ${stream}`);
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: Number(position.commit),
      checkpoint: toCheckpoint(position),
    };
  }

  private async appendOnce(
    stream: string,
    proposed: ClientEventData[],
    expectedRevision: AppendExpectedRevision,
    expected: ExpectedRevision,
  ): Promise<ClientAppendResult> {
    try {
      return await this.client.appendToStream(stream, proposed, { expectedRevision });
    } catch (error) {
      const conflict = toWrongExpectedRevisionError(error, stream, expected);
      if (conflict) throw conflict;
      if (error instanceof MaxAppendSizeExceededError) {
        throw new AppendTooLargeError(stream, error.maxAppendSize, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Where the event at `revision` sits in $all, read from the leader that took the write. An append reports the
   * transaction's first prepare position, not the last event's, and an idempotent one may report none. The append
   * has succeeded by then: a failed read-back falls back to the reported position rather than failing it.
   */
  private async positionOfRevision(stream: string, revision: bigint): Promise<LogPosition | undefined> {
    let position: LogPosition | undefined;
    const read = this.client.readStream(stream, {
      direction: FORWARDS,
      fromRevision: revision,
      maxCount: 1,
      requiresLeader: true,
    });
    try {
      await readWithDeadline(read, `read-back of ${stream}@${revision}`, this.readDeadlineMs, (resolved) => {
        if (resolved.event?.revision === revision) position = knownPosition(resolved.event.position);
        return false;
      });
    } catch {
      return undefined;
    }
    return position;
  }

  /**
   * Reads from the leader (a command's state must include every write it acknowledged), with a deadline, retried
   * from the start on a transient failure. `until` cuts the stream at its first event that occurred after it,
   * by the `occurredAt` of our metadata, as every store does: EventStoreDB's own `created` is the leader's clock
   * at the write, which a failover to a node whose clock is behind can make go backwards.
   */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    const { toRevision, until } = options;
    if (toRevision !== undefined && toRevision < fromRevision) return [];
    const readOptions: ClientReadStreamOptions = {
      direction: FORWARDS,
      fromRevision: BigInt(fromRevision),
      resolveLinkTos: false,
      requiresLeader: true,
    };
    if (toRevision !== undefined) readOptions.maxCount = toRevision - fromRevision + 1;

    return retryTransient(`read of ${stream}`, this.retry, async () => {
      const events: RecordedEvent[] = [];
      const read = this.client.readStream(stream, readOptions);
      try {
        await readWithDeadline(read, `read of ${stream}`, this.readDeadlineMs, (resolved) => {
          const record = resolved.event;
          if (!record) return true;
          const event = toRecordedEvent(record, positionOf(record));
          if (until !== undefined && occurredAtOf(event) > until.getTime()) return false;
          events.push(event);
          return true;
        });
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  /** No multi-stream read in EventStoreDB: the streams are read side by side. */
  readStreams(streams: readonly string[]): Promise<RecordedEvent[][]> {
    return Promise.all(streams.map((stream) => this.readStream(stream)));
  }

  readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    return this.readOneEvent(stream, 'last');
  }

  async readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult> {
    if (limit <= 0) return { events: [], checkpoint: from, isEnd: false };
    const fromPosition = from === undefined ? START : fromCheckpoint(from);
    return retryTransient('read of $all', this.retry, () => this.readAllOnce(from, fromPosition, limit, filter));
  }

  /** The client (6.2.1) has no server-side filter on reads of $all, only on subscriptions: filtered here. */
  private async readAllOnce(
    from: Checkpoint | undefined,
    fromPosition: typeof START | LogPosition,
    limit: number,
    filter: AllFilter | undefined,
  ): Promise<ReadAllResult> {
    const scanLimit = Math.max(limit, MIN_SCAN_PER_READ);
    // Reading $all from a position includes the record at it, which the caller has already seen: one more.
    const maxCount = from === undefined ? scanLimit : scanLimit + 1;
    const read = this.client.readAll({ direction: FORWARDS, fromPosition, maxCount, resolveLinkTos: false });

    const events: RecordedEvent[] = [];
    let checkpoint = from;
    let received = 0;
    let full = false;
    await readWithDeadline(read, 'read of $all', this.readDeadlineMs, (resolved: AllStreamResolvedEvent) => {
      received += 1;
      const record = resolved.event;
      if (!record) return true;
      const position = toCheckpoint(record.position);
      if (from !== undefined && position <= from) return true;
      // Every record read moves the checkpoint, wanted or not, so the next read does not scan it again.
      checkpoint = position;
      if (isSystemEventType(record.type)) return true;
      const event = toRecordedEvent(record, record.position);
      if (filter && !matchesFilter(event, filter)) return true;
      events.push(event);
      if (events.length < limit) return true;
      full = true;
      return false;
    });
    return { events, checkpoint, isEnd: !full && received < maxCount };
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    // Fail here, not in the retry loop, when the checkpoint came from another store.
    if (options.from !== undefined) fromCheckpoint(options.from);
    const subscription = new EventStoreDbAllSubscription(
      (after, batchSize, checkpointReached): AllStreamSubscription =>
        this.client.subscribeToAll(
          {
            fromPosition: after === undefined ? START : fromCheckpoint(after),
            resolveLinkTos: false,
            filter: serverFilterOf(options.filter, checkpointReached),
          },
          { highWaterMark: batchSize },
        ),
      options,
    );
    this.subscriptions.add(subscription);
    return {
      get checkpoint() {
        return subscription.checkpoint;
      },
      caughtUp: subscription.caughtUp,
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** Commit position of the last record in $all: one record read backwards from the end. */
  async headPosition(): Promise<number | undefined> {
    return retryTransient('read of the head of $all', this.retry, () => this.readHead());
  }

  /** Readiness: one attempt at a one-record read, not a read of $all from the start nor a retry loop. */
  async ping(): Promise<void> {
    await this.readHead();
  }

  private async readHead(): Promise<number | undefined> {
    let head: number | undefined;
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, resolveLinkTos: false });
    await readWithDeadline(read, 'read of the head of $all', this.readDeadlineMs, (resolved) => {
      if (resolved.event) head = Number(resolved.event.position.commit);
      return false;
    });
    return head;
  }

  /** Stops the subscriptions still running, then closes the connection. */
  async close(): Promise<void> {
    const running = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(running.map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}
