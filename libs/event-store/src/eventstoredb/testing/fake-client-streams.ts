import { PassThrough, Readable } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription, StreamingRead } from '@eventstore/db-client';

/** Stands in for the client's subscription to $all: a paused object stream that also says `caughtUp`. */
export class FakeAllSubscription extends PassThrough {
  unsubscribed = false;

  constructor() {
    super({ objectMode: true });
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }

  send(...events: AllStreamResolvedEvent[]): this {
    for (const event of events) this.write(event);
    return this;
  }

  /** The server's caught-up message arrives after the events it sent before it, as on the wire. */
  signalCaughtUp(): this {
    this.emit('caughtUp');
    return this;
  }

  asClientSubscription(): AllStreamSubscription {
    return this as unknown as AllStreamSubscription;
  }
}

/** Stands in for the client's `readAll` / `readStream` result: the records, then the end (or an error). */
export function fakeRead<E>(records: readonly E[], failure?: Error): StreamingRead<E> & { cancelled: boolean } {
  async function* generate() {
    yield* records;
    if (failure) throw failure;
  }
  const read = Readable.from(generate(), { objectMode: true }) as unknown as StreamingRead<E> & { cancelled: boolean };
  read.cancelled = false;
  read.cancel = async () => {
    read.cancelled = true;
  };
  return read;
}

export interface ResolvedEventOptions {
  type?: string;
  stream?: string;
  revision?: number;
  created?: Date;
  /** Commit and prepare position; defaults to `n * 100`. */
  position?: bigint;
}

/** A record of $all numbered `n`, at log position `n * 100` unless told otherwise. */
export function resolvedEvent(n: number, options: ResolvedEventOptions = {}): AllStreamResolvedEvent {
  const position = options.position ?? BigInt(n * 100);
  return {
    event: {
      streamId: options.stream ?? 'link-1',
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      isJson: true,
      revision: BigInt(options.revision ?? n),
      type: options.type ?? 'LinkRequested',
      created: options.created ?? new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)),
      data: { n },
      metadata: { actor: { type: 'system', id: 'test' } },
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  };
}
