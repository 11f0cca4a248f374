import { randomUUID } from 'node:crypto';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  type AppendReq,
  AppendResp,
  type BatchAppendReq,
  BatchAppendResp,
  type ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import * as grpc from '@grpc/grpc-js';

/**
 * An in-process gRPC server speaking EventStoreDB's Streams protocol (the client package's own generated service
 * definitions) for the calls the adapter makes, over a small in-memory log, with faults to inject per call. It
 * tests the adapter's error paths on the wire; it is no substitute for the contract against a real server.
 */

export type AppendFault =
  /** A follower's answer: the leader is elsewhere (the client reconnects there). Nothing is written. */
  | { kind: 'not-leader'; leader: { host: string; port: number } }
  | { kind: 'unavailable' }
  /** The write lands, but the answer never comes, or comes after `answerAfterMs` (after the client gave up). */
  | { kind: 'written-unanswered'; answerAfterMs?: number }
  | { kind: 'max-append-size'; maxAppendSize: number };

export type ReadFault =
  | { kind: 'unavailable' }
  | { kind: 'not-leader'; leader: { host: string; port: number } }
  /** Never answers (nor ends). */
  | { kind: 'silent' };

export type SubscriptionFault =
  | { kind: 'unavailable' }
  /** Sends this many records, then fails the call with UNAVAILABLE (`error`) or ends it as if all was well (`end`). */
  | { kind: 'drop-after'; records: number; how: 'error' | 'end' };

export interface StoredEvent {
  stream: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  created: bigint;
}

export interface ReceivedCall {
  method: 'append' | 'read-stream' | 'read-all' | 'subscribe-all' | 'batch-append' | 'server-features';
  requiresLeader: boolean;
  stream?: string;
  /** Append: the event ids and the expectation, as sent. */
  eventIds?: string[];
  expectation?: string;
  /** Subscription or read of $all: where it starts (`start`, `end` or `commit/prepare`), and its filter. */
  from?: string;
  filter?: { on: 'stream' | 'event-type'; prefixes: string[]; regex: string };
}

type Expectation =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'exact'; revision: number };

const POSITION_STEP = 100n;
const TICKS_PER_MS = 10_000n;

function metadataError(code: grpc.status, details: string, entries: Record<string, string>): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata }) as grpc.ServiceError;
}

function notLeader(leader: { host: string; port: number }): grpc.ServiceError {
  return metadataError(grpc.status.NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': leader.host,
    'leader-endpoint-port': String(leader.port),
  });
}

const unavailable = () => metadataError(grpc.status.UNAVAILABLE, 'Server is not ready', {});

function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function identifierOf(stream: string): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(stream, 'utf8'));
  return identifier;
}

function expectationOf(options: AppendReq.Options): Expectation {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasRevision()) return { kind: 'exact', revision: Number(options.getRevision()) };
  return { kind: 'any' };
}

const describeExpectation = (expected: Expectation) =>
  expected.kind === 'exact' ? String(expected.revision) : expected.kind;

export class FakeEventStoreDbServer {
  readonly events: StoredEvent[] = [];
  readonly calls: ReceivedCall[] = [];
  readonly appendFaults: AppendFault[] = [];
  readonly streamReadFaults: ReadFault[] = [];
  readonly subscriptionFaults: SubscriptionFault[] = [];
  /** What the ServerFeatures call says; `BatchAppend` is listed, as a real 24.10 server lists it. */
  serverVersion = '24.10.0.1470';
  /** A filtered subscription gets a checkpoint after this many records scanned (the server's window). */
  checkpointEvery = 4;
  private readonly live = new Set<(event: StoredEvent) => void>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();
  private nextPosition = POSITION_STEP;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeEventStoreDbServer> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const fake = new FakeEventStoreDbServer(server, port);
    server.addService(StreamsService as unknown as grpc.ServiceDefinition, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => fake.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        fake.append(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => fake.batchAppend(call),
      delete: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(metadataError(grpc.status.UNIMPLEMENTED, 'not in the fake', {})),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(metadataError(grpc.status.UNIMPLEMENTED, 'not in the fake', {})),
    });
    server.addService(ServerFeaturesService as unknown as grpc.ServiceDefinition, {
      getSupportedMethods: (
        call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
        callback: grpc.sendUnaryData<SupportedMethods>,
      ) => fake.supportedMethods(call, callback),
    });
    return fake;
  }

  /** `esdb://127.0.0.1:<port>?tls=false` plus `settings` (e.g. `defaultDeadline=300`). */
  connectionString(settings = ''): string {
    return `esdb://127.0.0.1:${this.port}?tls=false${settings ? `&${settings}` : ''}`;
  }

  callsOf(method: ReceivedCall['method']): ReceivedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  streamEvents(stream: string): StoredEvent[] {
    return this.events.filter((event) => event.stream === stream);
  }

  /** Writes events as another client would (JSON data), e.g. history for a subscription. */
  seed(stream: string, types: readonly string[], data: (index: number) => unknown = (index) => ({ index })): void {
    types.forEach((type, index) => {
      this.write(
        stream,
        randomUUID(),
        type,
        'application/json',
        Buffer.from(JSON.stringify(data(index))),
        new Uint8Array(),
      );
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.live.clear();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }

  private record(call: ReceivedCall): void {
    this.calls.push(call);
  }

  private write(
    stream: string,
    id: string,
    type: string,
    contentType: string,
    data: Uint8Array,
    metadata: Uint8Array,
  ): StoredEvent {
    const revision = this.streamEvents(stream).length;
    const event: StoredEvent = {
      stream,
      revision,
      id,
      type,
      contentType,
      data,
      metadata,
      position: this.nextPosition,
      created: BigInt(Date.now()) * TICKS_PER_MS,
    };
    this.nextPosition += POSITION_STEP;
    this.events.push(event);
    for (const listener of this.live) listener(event);
    return event;
  }

  private supportedMethods(_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>): void {
    this.record({ method: 'server-features', requiresLeader: false });
    const methods = ['Read', 'Append', 'BatchAppend', 'Delete', 'Tombstone'].map((name) =>
      new SupportedMethod().setServiceName('event_store.client.streams.Streams').setMethodName(name),
    );
    callback(null, new SupportedMethods().setEventStoreServerVersion(this.serverVersion).setMethodsList(methods));
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    this.record({ method: 'batch-append', requiresLeader: false });
    // Answers each request for a correlation id the client never sent: what a late answer looks like to it.
    call.on('data', (request: BatchAppendReq) => {
      const answer = new BatchAppendResp();
      answer.setCorrelationId(new UUID().setString(randomUUID()));
      answer.setStreamIdentifier(request.getOptions()?.getStreamIdentifier() ?? identifierOf('unknown'));
      answer.setSuccess(new BatchAppendResp.Success().setNoPosition(new Empty()));
      call.write(answer);
    });
    call.on('end', () => call.end());
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) {
    let options: AppendReq.Options | undefined;
    const proposed: AppendReq.ProposedMessage[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      const message = request.getProposedMessage();
      if (message) proposed.push(message);
    });
    call.on('end', () => {
      if (!options) return callback(metadataError(grpc.status.INVALID_ARGUMENT, 'no options', {}));
      const stream = streamNameOf(options.getStreamIdentifier());
      const expected = expectationOf(options);
      const ids = proposed.map((message) => message.getId()?.getString() ?? '');
      this.record({
        method: 'append',
        requiresLeader: call.metadata.get('requires-leader')[0] === 'true',
        stream,
        eventIds: ids,
        expectation: describeExpectation(expected),
      });
      const fault = this.appendFaults.shift();
      if (fault?.kind === 'not-leader') return callback(notLeader(fault.leader));
      if (fault?.kind === 'unavailable') return callback(unavailable());
      if (fault?.kind === 'max-append-size') {
        return callback(
          metadataError(grpc.status.INVALID_ARGUMENT, 'Maximum Append Size exceeded', {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(fault.maxAppendSize),
          }),
        );
      }
      const answer = this.appendToLog(stream, expected, proposed);
      if (fault?.kind === 'written-unanswered') {
        if (fault.answerAfterMs === undefined) return;
        const timer = setTimeout(() => {
          this.pendingTimers.delete(timer);
          callback(null, answer);
        }, fault.answerAfterMs);
        this.pendingTimers.add(timer);
        return;
      }
      callback(null, answer);
    });
  }

  /** The server's rules: idempotent where the ids already stand where the expectation puts them, else a conflict. */
  private appendToLog(stream: string, expected: Expectation, proposed: AppendReq.ProposedMessage[]): AppendResp {
    const existing = this.streamEvents(stream);
    const current = existing.length - 1;
    const ids = proposed.map((message) => message.getId()?.getString() ?? '');
    const answer = new AppendResp();
    const start = expected.kind === 'no_stream' ? -1 : expected.kind === 'exact' ? expected.revision : undefined;
    const idempotentAt = (after: number) =>
      ids.length > 0 && ids.every((id, index) => existing[after + 1 + index]?.id === id);
    if (start !== undefined && start !== current) {
      if (start < current && idempotentAt(start)) {
        return answer.setSuccess(
          new AppendResp.Success().setCurrentRevision(String(start + ids.length)).setNoPosition(new Empty()),
        );
      }
      const conflict = new AppendResp.WrongExpectedVersion();
      if (current < 0) conflict.setCurrentNoStream(new Empty());
      else conflict.setCurrentRevision(String(current));
      if (expected.kind === 'no_stream') conflict.setExpectedNoStream(new Empty());
      else conflict.setExpectedRevision(String(start));
      return answer.setWrongExpectedVersion(conflict);
    }
    if (expected.kind === 'stream_exists' && current < 0) {
      return answer.setWrongExpectedVersion(
        new AppendResp.WrongExpectedVersion().setCurrentNoStream(new Empty()).setExpectedStreamExists(new Empty()),
      );
    }
    const written = proposed.map((message) => {
      const metadata = message.getMetadataMap();
      return this.write(
        stream,
        message.getId()?.getString() ?? randomUUID(),
        metadata.get('type') ?? '',
        metadata.get('content-type') ?? 'application/octet-stream',
        message.getData_asU8(),
        message.getCustomMetadata_asU8(),
      );
    });
    const first = written[0];
    const position = new AppendResp.Position()
      .setCommitPosition(String(first?.position ?? 0n))
      .setPreparePosition(String(first?.position ?? 0n));
    return answer.setSuccess(
      new AppendResp.Success().setCurrentRevision(String(current + written.length)).setPosition(position),
    );
  }

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    const requiresLeader = call.metadata.get('requires-leader')[0] === 'true';
    if (!options) call.emit('error', metadataError(grpc.status.INVALID_ARGUMENT, 'no options', {}));
    else if (options.hasStream()) this.readStream(call, options, requiresLeader);
    else if (options.hasSubscription()) this.subscribeToAll(call, options, requiresLeader);
    else this.readAll(call, options, requiresLeader);
  }

  private readStream(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    requiresLeader: boolean,
  ) {
    const streamOptions = options.getStream();
    const stream = streamNameOf(streamOptions?.getStreamIdentifier());
    this.record({ method: 'read-stream', requiresLeader, stream });
    const fault = this.streamReadFaults.shift();
    if (fault?.kind === 'silent') return;
    if (fault?.kind === 'unavailable') return void call.emit('error', unavailable());
    if (fault?.kind === 'not-leader') return void call.emit('error', notLeader(fault.leader));
    const events = this.streamEvents(stream);
    if (events.length === 0) {
      call.write(
        new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(identifierOf(stream))),
      );
      return void call.end();
    }
    const backwards = options.getReadDirection() === 1;
    const from = streamOptions?.hasRevision()
      ? Number(streamOptions.getRevision())
      : streamOptions?.hasEnd()
        ? events.length - 1
        : 0;
    const count = Number(options.getCount());
    const selected = backwards
      ? events.filter((event) => event.revision <= from).reverse()
      : events.filter((event) => event.revision >= from);
    for (const event of selected.slice(0, count)) call.write(this.readEventOf(event));
    call.end();
  }

  private readAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    requiresLeader: boolean,
  ) {
    const all = options.getAll();
    const from = all?.hasPosition() ? BigInt(all.getPosition()?.getCommitPosition() ?? '0') : undefined;
    this.record({
      method: 'read-all',
      requiresLeader,
      from: all?.hasEnd() ? 'end' : from === undefined ? 'start' : String(from),
    });
    const backwards = options.getReadDirection() === 1;
    const count = Number(options.getCount());
    const selected = backwards
      ? [...this.events].reverse()
      : this.events.filter((event) => from === undefined || event.position >= from);
    for (const event of selected.slice(0, count)) call.write(this.readEventOf(event));
    call.end();
  }

  private subscribeToAll(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    requiresLeader: boolean,
  ): void {
    const all = options.getAll();
    const fromPosition = all?.hasPosition() ? BigInt(all.getPosition()?.getCommitPosition() ?? '0') : undefined;
    const filterOptions = options.hasFilter() ? options.getFilter() : undefined;
    const expression = filterOptions?.hasStreamIdentifier()
      ? filterOptions.getStreamIdentifier()
      : filterOptions?.getEventType();
    const filter = filterOptions
      ? {
          on: filterOptions.hasStreamIdentifier() ? ('stream' as const) : ('event-type' as const),
          prefixes: expression?.getPrefixList() ?? [],
          regex: expression?.getRegex() ?? '',
        }
      : undefined;
    this.record({
      method: 'subscribe-all',
      requiresLeader,
      from: fromPosition === undefined ? 'start' : String(fromPosition),
      ...(filter ? { filter } : {}),
    });
    const fault = this.subscriptionFaults.shift();
    if (fault?.kind === 'unavailable') return void call.emit('error', unavailable());

    const matches = (event: StoredEvent) => {
      if (!filter) return true;
      const subject = filter.on === 'stream' ? event.stream : event.type;
      if (filter.prefixes.length > 0) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
      return filter.regex === '' || new RegExp(filter.regex).test(subject);
    };
    let sent = 0;
    let scannedSinceCheckpoint = 0;
    let ended = false;
    const end = (how: 'error' | 'end') => {
      ended = true;
      this.live.delete(onEvent);
      if (how === 'error') call.emit('error', unavailable());
      else call.end();
    };
    const checkpoint = (event: StoredEvent) => {
      call.write(
        new ReadResp().setCheckpoint(
          new ReadResp.Checkpoint()
            .setCommitPosition(String(event.position))
            .setPreparePosition(String(event.position)),
        ),
      );
      scannedSinceCheckpoint = 0;
    };
    const offer = (event: StoredEvent) => {
      if (ended) return;
      scannedSinceCheckpoint += 1;
      if (matches(event)) {
        call.write(this.readEventOf(event));
        sent += 1;
        if (fault?.kind === 'drop-after' && sent >= fault.records) return end(fault.how);
      }
      if (filter && scannedSinceCheckpoint >= this.checkpointEvery) checkpoint(event);
    };
    const onEvent = (event: StoredEvent) => offer(event);

    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    const history = this.events.filter((event) => fromPosition === undefined || event.position > fromPosition);
    for (const event of history) offer(event);
    if (ended) return;
    const last = history.at(-1);
    if (filter && last && scannedSinceCheckpoint > 0) checkpoint(last);
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    this.live.add(onEvent);
    call.on('cancelled', () => {
      ended = true;
      this.live.delete(onEvent);
    });
  }

  private readEventOf(event: StoredEvent): ReadResp {
    const recorded = new ReadResp.ReadEvent.RecordedEvent()
      .setId(new UUID().setString(event.id))
      .setStreamIdentifier(identifierOf(event.stream))
      .setStreamRevision(String(event.revision))
      .setCommitPosition(String(event.position))
      .setPreparePosition(String(event.position))
      .setData(event.data)
      .setCustomMetadata(event.metadata);
    recorded
      .getMetadataMap()
      .set('type', event.type)
      .set('content-type', event.contentType)
      .set('created', String(event.created));
    return new ReadResp().setEvent(
      new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position)),
    );
  }
}
