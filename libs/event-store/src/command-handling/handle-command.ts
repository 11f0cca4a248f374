import { randomUUID } from 'node:crypto';
import type { AppendResult, EventMetadata, EventStore, ExpectedRevision, RecordedEvent } from '../event-store.port';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error';

/** A domain event as deciders emit it: a type and its data, nothing about storage. */
export interface DecidedEvent {
  type: string;
  data: unknown;
}

/** Structurally Emmett's decider, so the pure domain never imports this library. */
export interface StreamDecider<State, Command, Event extends DecidedEvent> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}

export interface HandledCommand<State, Event> {
  /** State after the new events: what the caller reads as its own write. */
  state: State;
  newEvents: Event[];
  /** Undefined when the decision produced no events (nothing was appended). */
  append: AppendResult | undefined;
  /** The stream's revision that `state` is the state of (undefined: no stream). */
  revision: number | undefined;
}

export interface HandleCommandOptions<State = unknown> {
  /** Attempts in all when other writers keep moving the stream. */
  maxAttempts?: number;
  /**
   * The stream as the caller has just read it (or knows it to be: `revision` undefined for a stream it has just
   * named and nobody can have written): the first attempt decides on it instead of reading again. The append still
   * expects that revision, so a stream moved since only costs the fresh read of the next attempt.
   */
  known?: { state: State; revision: number | undefined };
}

/** Folds a stream into state; also used for reads "as of" a time. */
export async function aggregateStream<State, Event extends DecidedEvent>(
  store: EventStore,
  stream: string,
  decider: Pick<StreamDecider<State, never, Event>, 'evolve' | 'initialState'>,
  until?: Date,
): Promise<{ state: State; revision: number | undefined }> {
  return foldStream(await store.readStream(stream, until ? { until } : {}), decider);
}

/** The state and revision of a stream's events as read. */
export function foldStream<State, Event extends DecidedEvent>(
  events: readonly RecordedEvent[],
  decider: Pick<StreamDecider<State, never, Event>, 'evolve' | 'initialState'>,
): { state: State; revision: number | undefined } {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as Event);
  return { state, revision: events.at(-1)?.revision };
}

/**
 * Load, decide, append with the expected revision; on a revision conflict (and only then) start again
 * from a fresh read. Domain errors thrown by `decide` pass straight through, with nothing written.
 * Transient store failures are the adapter's to retry (same ids, same expectation); an
 * `EventStoreUnavailableError` passes through too: a retry here would mint new ids and could write twice.
 */
export async function handleCommand<State, Command, Event extends DecidedEvent>(
  store: EventStore,
  stream: string,
  decider: StreamDecider<State, Command, Event>,
  command: Command | ((state: State) => Command),
  metadata: EventMetadata,
  options: HandleCommandOptions<State> = {},
): Promise<HandledCommand<State, Event>> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } =
      attempt === 1 && options.known ? options.known : await aggregateStream(store, stream, decider);
    const newEvents = decider.decide(
      typeof command === 'function' ? (command as (s: State) => Command)(state) : command,
      state,
    );
    const next = newEvents.reduce(decider.evolve, state);
    if (newEvents.length === 0) return { state: next, newEvents, append: undefined, revision };
    const expected: ExpectedRevision = revision === undefined ? 'no_stream' : revision;
    try {
      const append = await store.appendToStream(
        stream,
        newEvents.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
        expected,
      );
      return { state: next, newEvents, append, revision: append.nextExpectedRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
    }
  }
}
