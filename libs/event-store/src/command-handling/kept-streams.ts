import { BoundedCache } from '@lib/platform/crypto/bounded-cache';
import type { EventMetadata, EventStore, RecordedEvent } from '../event-store.port';
import {
  type DecidedEvent,
  foldStream,
  type HandledCommand,
  handleCommand,
  type StreamDecider,
} from './handle-command';

/** A stream's state and the revision it is the state of (undefined: no stream). */
export interface FoldedStream<State> {
  readonly state: State;
  readonly revision: number | undefined;
}

export interface KeptStreamsOptions {
  /** How many streams' states the process keeps (the ones it decided on or read last). */
  maxStreams: number;
  /**
   * A stream the process keeps nothing of is taken to be new: the first decision expects no stream, so one that
   * exists after all costs a refused append and a read. For streams that are mostly new when first met here.
   */
  assumeNew?: boolean;
}

/** True when the decision on `state` appends something (a refusal, or nothing to do, says nothing of a stale state). */
function appendsOn<State, Command, Event extends DecidedEvent>(
  decider: StreamDecider<State, Command, Event>,
  command: Command,
  state: State,
): boolean {
  try {
    return decider.decide(command, state).length > 0;
  } catch {
    return false;
  }
}

/**
 * Streams of one decider as this process last read or wrote them, decided on without reading them again. A
 * decision that appends is made on the kept state and expects its revision, so a stream another process moved
 * meanwhile only costs the refused append and a fresh read (`handleCommand`). A decision that appends nothing, or
 * that the domain refuses, on the kept state is made on a fresh read instead: nothing would catch a stale state
 * out. So what is decided is what a read first would have decided; only the reads are fewer.
 */
export class KeptStreams<State, Command, Event extends DecidedEvent> {
  private readonly kept: BoundedCache<string, FoldedStream<State>>;

  constructor(
    private readonly store: EventStore,
    private readonly decider: StreamDecider<State, Command, Event>,
    private readonly options: KeptStreamsOptions,
  ) {
    this.kept = new BoundedCache(options.maxStreams, Number.POSITIVE_INFINITY);
  }

  /** What the process keeps of the stream (not read; may be out of date). */
  peek(stream: string): FoldedStream<State> | undefined {
    return this.kept.get(stream);
  }

  /** Reads the stream (and keeps its state). */
  async read(stream: string): Promise<FoldedStream<State>> {
    return this.fold(stream, await this.store.readStream(stream));
  }

  /** Folds the stream's events as the caller has just read them whole (and keeps the state). */
  fold(stream: string, events: readonly RecordedEvent[]): FoldedStream<State> {
    const folded = foldStream(events, this.decider);
    this.keep(stream, folded);
    return folded;
  }

  async decide(
    stream: string,
    command: Command,
    metadata: EventMetadata,
    options: { maxAttempts?: number } = {},
  ): Promise<HandledCommand<State, Event>> {
    const kept =
      this.kept.get(stream) ??
      (this.options.assumeNew ? { state: this.decider.initialState(), revision: undefined } : undefined);
    const known = kept && appendsOn(this.decider, command, kept.state) ? kept : undefined;
    const decided = await handleCommand(
      this.store,
      stream,
      this.decider,
      command,
      metadata,
      known ? { ...options, known } : options,
    );
    this.keep(stream, decided);
    return decided;
  }

  private keep(stream: string, folded: FoldedStream<State>): void {
    const kept = this.kept.get(stream);
    // Concurrent decisions may finish out of order: what is kept only moves forwards.
    if (kept && (kept.revision ?? -1) > (folded.revision ?? -1)) return;
    this.kept.set(stream, { state: folded.state, revision: folded.revision });
  }
}
