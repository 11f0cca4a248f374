import type { SqlClient } from '@lib/platform/sql/sql-client';
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
import { canonicalTemplate } from '../hash-chain/event-hash';
import { matchesFilter } from '../subscription/all-filter';
import { PollingSubscription } from '../subscription/polling-subscription';
import { SharedLogReader } from '../subscription/shared-log-reader';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';
import { fromCheckpoint, toCheckpoint } from './checkpoint';
import { EVENTS_CHANNEL, eventStoreSchema } from './schema';

interface EventRow {
  position_text: string;
  txid_text: string;
  stream_name: string;
  revision_text: string;
  event_id_text: string;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date | string;
}

// Text aliases must not shadow the columns: ORDER BY would then sort '10' before '9'.
const SELECT_EVENT = `SELECT global_position::text AS position_text, transaction_id::text AS txid_text, stream_name,
  revision::text AS revision_text, event_id::text AS event_id_text, event_type, data, metadata, recorded_at
  FROM es_events`;

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id_text,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    streamName: row.stream_name,
    revision: Number(row.revision_text),
    globalPosition: Number(row.position_text),
    checkpoint: toCheckpoint(row.txid_text, row.position_text),
    recordedAt: new Date(row.recorded_at),
  };
}

/** Arbitrary but fixed key under which schema changes are serialised across processes. */
const SCHEMA_LOCK_KEY = 7_345_120_001;

/** The event store on a PostgreSQL schema: embedded PGlite by default, or a PostgreSQL server. */
export class PostgresEventStore implements EventStore {
  /** Every subscription of this store reads the log through one reader (see SharedLogReader). */
  private readonly logReader: SharedLogReader;

  private constructor(
    private readonly sql: SqlClient,
    options: { pollIntervalMs: number },
  ) {
    this.logReader = new SharedLogReader(
      (from, limit) => this.readAll(from, limit),
      (wake) => this.sql.listen(EVENTS_CHANNEL, wake),
      options.pollIntervalMs,
    );
  }

  static async create(sql: SqlClient, options: { pollIntervalMs?: number } = {}): Promise<PostgresEventStore> {
    await sql.withSession(async (session) => {
      await session.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
      try {
        await session.exec(eventStoreSchema);
      } finally {
        await session.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
      }
    });
    return new PostgresEventStore(sql, { pollIntervalMs: options.pollIntervalMs ?? 500 });
  }

  async appendToStream(
    stream: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const mode = expected === 'no_stream' || expected === 'any' ? expected : 'exact';
    // Each event as its canonical text with a hole for previousHash: es_append chains it under the stream's lock.
    const payload = JSON.stringify(events.map((event) => ({ id: event.id, ...canonicalTemplate(event) })));
    const [result] = await this.sql.query<{
      outcome: 'appended' | 'idempotent' | 'conflict';
      revision: string | null;
      last_position: string | null;
      txid: string | null;
    }>('SELECT outcome, revision::text, last_position::text, txid FROM es_append($1, $2, $3, $4::jsonb)', [
      stream,
      mode,
      mode === 'exact' ? expected : null,
      payload,
    ]);
    if (!result) throw new Error('es_append returned no row');
    if (result.outcome === 'conflict') {
      throw new WrongExpectedRevisionError(
        stream,
        expected,
        result.revision === null ? 'no_stream' : Number(result.revision),
      );
    }
    return {
      nextExpectedRevision: Number(result.revision),
      position: Number(result.last_position),
      checkpoint: toCheckpoint(result.txid as string, result.last_position as string),
    };
  }

  async readStreams(streams: readonly string[]): Promise<RecordedEvent[][]> {
    if (streams.length === 0) return [];
    // One statement, so one snapshot: the streams as they all were at one moment.
    const rows = await this.sql.query<EventRow>(
      `${SELECT_EVENT} WHERE stream_name = ANY($1::text[]) ORDER BY stream_name, revision`,
      [[...new Set(streams)]],
    );
    const byStream = new Map<string, RecordedEvent[]>();
    for (const row of rows) {
      const events = byStream.get(row.stream_name) ?? [];
      events.push(toRecordedEvent(row));
      byStream.set(row.stream_name, events);
    }
    return streams.map((stream) => [...(byStream.get(stream) ?? [])]);
  }

  /** `until` cuts the stream before its first event that occurred after it (metadata `occurredAt`), as on EventStoreDB. */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.sql.query<EventRow>(
      `${SELECT_EVENT}
        WHERE stream_name = $1 AND revision >= $2 AND ($3::bigint IS NULL OR revision <= $3)
          AND ($4::timestamptz IS NULL OR revision < coalesce((
                SELECT min(later.revision) FROM es_events later
                 WHERE later.stream_name = $1 AND later.revision >= $2
                   AND coalesce((later.metadata->>'occurredAt')::timestamptz, later.recorded_at) > $4
              ), 9223372036854775807))
        ORDER BY revision`,
      [stream, options.fromRevision ?? 0, options.toRevision ?? null, options.until?.toISOString() ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readLastEvent(stream: string): Promise<RecordedEvent | undefined> {
    const [row] = await this.sql.query<EventRow>(
      `${SELECT_EVENT} WHERE stream_name = $1 ORDER BY revision DESC LIMIT 1`,
      [stream],
    );
    return row ? toRecordedEvent(row) : undefined;
  }

  async readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult> {
    const after = fromCheckpoint(from);
    // Filtering happens here, not in SQL, so the checkpoint moves past events nobody wanted.
    const rows = await this.sql.query<EventRow>(
      `${SELECT_EVENT}
        WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [after.transactionId, after.globalPosition, limit],
    );
    const scanned = rows.map(toRecordedEvent);
    return {
      events: filter ? scanned.filter((event) => matchesFilter(event, filter)) : scanned,
      checkpoint: scanned.at(-1)?.checkpoint ?? from,
      isEnd: rows.length < limit,
    };
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return new PollingSubscription(this.logReader.source(), options);
  }

  async headPosition(): Promise<number | undefined> {
    const [row] = await this.sql.query<{ head: string | null }>(
      'SELECT max(global_position)::text AS head FROM es_events',
    );
    return row?.head == null ? undefined : Number(row.head);
  }

  /** The SQL client belongs to whoever opened it; closing the store leaves it open. */
  async close(): Promise<void> {}
}
