/**
 * The event store port: the only way the service reads or writes its history.
 * Adapters: PostgreSQL schema (embedded PGlite or a server) and EventStoreDB.
 *
 * Failures a caller sees:
 * - `WrongExpectedRevisionError`: the expectation did not hold; the one failure a command retries (re-deciding).
 * - `EventStoreUnavailableError`: the store failed transiently (a leader election, a node down, a deadline, a
 *   dropped connection) more often than the adapter's bound. The adapter has already retried each of those
 *   with the same event ids and the same expectation; the append may have been written.
 * - `AppendTooLargeError`: over the store's size limit; anything else is a defect or a refusal to retry.
 */

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Who caused an event. Personal identifiers never appear here in plaintext. */
export interface Actor {
  type: 'payment_app' | 'bank' | 'investigator' | 'operator' | 'system';
  id: string;
}

/** Metadata every event carries (ARCHITECTURE.md "Event metadata"); adapters store it verbatim. */
export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string;
  requestId?: string;
  /** ISO 8601 UTC, the domain's time of the fact (the recorded time is the store's). */
  occurredAt: string;
  deviceId?: string;
  /** Keyed hash of the caller's address: personal, so never stored raw. */
  sourceAddressHash?: string;
  /**
   * The hash chain (API.md "Evidence"): written by the store at append time, whatever the caller put there.
   * `hash = hex(SHA-256(previousHash + "." + JCS({ type, data, metadata without hash })))`; 64 zeros first.
   */
  previousHash?: string;
  hash?: string;
  [key: string]: unknown;
}

/** An event about to be appended. `id` is a UUID chosen by the caller, so a retry can be idempotent (`ExpectedRevision`). */
export interface EventData<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

/**
 * A position in the global log that a reader can resume after. Opaque to callers, but adapters make it
 * a fixed-width string so that two checkpoints of the same store compare with `<` / `>`.
 */
export type Checkpoint = string;

export interface RecordedEvent<Type extends string = string, Data = unknown> extends EventData<Type, Data> {
  streamName: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Position in the global log (commit position on EventStoreDB). */
  globalPosition: number;
  /** Where a reader of the global log resumes after this event. */
  checkpoint: Checkpoint;
  /** Set by the store when the event was written (millisecond precision). */
  recordedAt: Date;
}

/**
 * `no_stream`: the stream must not exist; a number: its last revision must be exactly that; `any`: no check.
 *
 * Re-appending the same event ids at the same `no_stream` or exact expectation writes nothing and answers as the
 * first append did, however long after: the store finds the ids where the expectation puts them. With `any` that
 * is best effort on EventStoreDB (the server looks in a cache of recent writes, which a restart or a failover
 * empties), so an `any` append whose answer was lost may be written twice when retried. A writer that must not
 * write twice uses an exact expectation; one that uses `any` says why a duplicate is harmless.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
  /** Checkpoint a reader reaches once it has seen this append. */
  checkpoint: Checkpoint;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  /** Inclusive. */
  toRevision?: number;
  /**
   * The stream as it was at this instant: its events up to (not including) the first that occurred after it,
   * by the `occurredAt` of their metadata (which travels with an event to any store, unlike a server's clock).
   */
  until?: Date;
}

export interface AllFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}

export interface ReadAllResult {
  /** Matching events after the checkpoint, in global order. */
  events: RecordedEvent[];
  /** Where the next read resumes: past every event scanned, matching or not. */
  checkpoint: Checkpoint | undefined;
  /** True when the read reached the end of what is visible now. */
  isEnd: boolean;
}

export interface SubscribeToAllOptions {
  /** Resume after this checkpoint; from the very start when absent. */
  from?: Checkpoint;
  filter?: AllFilter;
  /**
   * Called with each batch, in global order, and the checkpoint after it; the next batch waits until it
   * resolves. A batch may be empty when the filter dropped all it scanned, so callers can move their checkpoint.
   */
  onEvents: (events: RecordedEvent[], checkpoint: Checkpoint | undefined) => Promise<void>;
  /** Called each time the subscription has delivered everything visible and goes live. */
  onCaughtUp?: () => void;
  /** Called on each failure before the subscription retries from its checkpoint. */
  onError?: (error: unknown, attempt: number) => void;
  batchSize?: number;
  backoff?: { initialMs?: number; maxMs?: number };
}

export interface Subscription {
  /** The checkpoint after the last batch that `onEvents` accepted. */
  readonly checkpoint: Checkpoint | undefined;
  /** Resolves the first time the subscription catches up. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export interface EventStore {
  appendToStream(stream: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Each stream's events whole, in the order of `streams`: one read where the store allows (PostgreSQL). */
  readStreams(streams: readonly string[]): Promise<RecordedEvent[][]>;
  /** The stream's last event (its highest revision), undefined when it has none: one read, whatever its length. */
  readLastEvent(stream: string): Promise<RecordedEvent | undefined>;
  readAll(from: Checkpoint | undefined, limit: number, filter?: AllFilter): Promise<ReadAllResult>;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /**
   * Global position of the last event written (undefined while the log is empty), for progress and lag
   * reports only. Optional: an adapter that cannot tell cheaply leaves it out.
   */
  headPosition?(): Promise<number | undefined>;
  /** Readiness: resolves when the store answers, cheaply (no scan of the log). Optional: else a one-event read. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
