import {
  type AllStreamSubscription,
  type AppendResult as ClientAppendResult,
  EventStoreDBClient,
  FORWARDS,
  type ReadStreamOptions as ClientReadStreamOptions,
  START,
  StreamNotFoundError,
} from '@eventstore/db-client';
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
import { adapterConnectionString } from './connection-string';
import { knownPosition, positionOf, toClientEvent, toRecordedEvent } from './event-mapping';
import { toClientExpectedRevision } from './expected-revision';
import { isSystemEventType } from './system-event';
import { toWrongExpectedRevisionError } from './wrong-expected-version';

/** A read of $all scans at most this many records (or `limit`, if larger), so a rare filter cannot pin a call. */
const MIN_SCAN_PER_READ = 4096;

/** The event store on EventStoreDB (production): streams are EventStoreDB streams, the global log is $all. */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly client: EventStoreDBClient) {}

  /** E.g. `esdb://localhost:2113?tls=false`. The client connects lazily, on the first call. */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(adapterConnectionString(connectionString)));
  }

  async appendToStream(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(stream, events.map(toClientEvent), {
        expectedRevision: toClientExpectedRevision(expected),
      });
    } catch (error) {
      throw toWrongExpectedRevisionError(error, stream, expected) ?? error;
    }
    // The client throws on a conflict (the connection string insists), so this is only a refusal without one.
    if (!result.success) throw new Error(`EventStoreDB refused the append to ${stream} without saying why`);
    const position =
      (await this.positionOfRevision(stream, result.nextExpectedRevision)) ?? knownPosition(result.position);
    if (!position) throw new Error(`EventStoreDB returned no log position for the append to ${stream}`);
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: Number(position.commit),
      checkpoint: toCheckpoint(position),
    };
  }

  /**
   * Where the event at `revision` sits in $all. An append reports the transaction's first prepare position, not
   * the last event's, and an idempotent one may report none; so the append's checkpoint is read back. The append
   * has succeeded by then: a failed read-back falls back to the reported position rather than failing it.
   */
  private async positionOfRevision(stream: string, revision: bigint): Promise<LogPosition | undefined> {
    const read = this.client.readStream(stream, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    try {
      for await (const resolved of read) {
        if (resolved.event?.revision === revision) return knownPosition(resolved.event.position);
      }
      return undefined;
    } catch {
      return undefined;
    } finally {
      await read.cancel().catch(() => undefined);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    const { toRevision, until } = options;
    if (toRevision !== undefined && toRevision < fromRevision) return [];
    const readOptions: ClientReadStreamOptions = {
      direction: FORWARDS,
      fromRevision: BigInt(fromRevision),
      resolveLinkTos: false,
    };
    if (toRevision !== undefined) readOptions.maxCount = toRevision - fromRevision + 1;

    const read = this.client.readStream(stream, readOptions);
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const record = resolved.event;
        if (!record) continue;
        // Revisions follow write order, so the first event recorded after `until` ends the stream as it was then.
        if (until !== undefined && record.created.getTime() > until.getTime()) break;
        events.push(toRecordedEvent(record, positionOf(record)));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    } finally {
      await read.cancel().catch(() => undefined);
    }
    return events;
  }

  async readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult> {
    if (limit <= 0) return { events: [], checkpoint: from, isEnd: false };
    const scanLimit = Math.max(limit, MIN_SCAN_PER_READ);
    // Reading $all from a position includes the record at it, which the caller has already seen: one more.
    const maxCount = from === undefined ? scanLimit : scanLimit + 1;
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: from === undefined ? START : fromCheckpoint(from),
      maxCount,
      resolveLinkTos: false,
    });

    const events: RecordedEvent[] = [];
    let checkpoint = from;
    let received = 0;
    let full = false;
    try {
      for await (const resolved of read) {
        received += 1;
        const record = resolved.event;
        if (!record) continue;
        const position = toCheckpoint(record.position);
        if (from !== undefined && position <= from) continue;
        // Every record read moves the checkpoint, wanted or not, so the next read does not scan it again.
        checkpoint = position;
        if (isSystemEventType(record.type)) continue;
        const event = toRecordedEvent(record, record.position);
        if (filter && !matchesFilter(event, filter)) continue;
        events.push(event);
        if (events.length >= limit) {
          full = true;
          break;
        }
      }
    } finally {
      await read.cancel().catch(() => undefined);
    }
    return { events, checkpoint, isEnd: !full && received < maxCount };
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    // Fail here, not in the retry loop, when the checkpoint came from another store.
    if (options.from !== undefined) fromCheckpoint(options.from);
    const subscription = new EventStoreDbAllSubscription(
      (after, batchSize): AllStreamSubscription =>
        this.client.subscribeToAll(
          { fromPosition: after === undefined ? START : fromCheckpoint(after), resolveLinkTos: false },
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

  /** Stops the subscriptions still running, then closes the connection. */
  async close(): Promise<void> {
    const running = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(running.map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}
