import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EventMetadata, EventStore } from '@lib/event-store/event-store.port';
import { debitStream, spendingStream } from '@lib/account-linking/application/debits/debit-streams';
import { KeepAliveClient } from '../http-load/http-client';
import { type LoadOutcome, runLoad } from '../http-load/load-plan';
import type { BenchOptions, StoreKind } from '../options';
import { perSecond, ratio, type Summary, summarize } from '../stats';
import { newPlace, openBareStore, type Place } from '../stores';
import { type HttpFigures, httpFigures } from './http-figures';
import { waitForActivation, waitForQuiet } from './lifecycle';
import { type RunningService, startService } from './service';
import { SqlStatementCounter } from './sql-calls';
import { StoreCallCounter, StreamReadRecorder, type StreamKindCalls } from './store-calls';

const AUTHORISE = 'POST /v1/links/{id}/debits';
/** One yen a debit: the sandbox's links have no limits, and no total ever nears one. */
const AMOUNT = 1;
/** The service left alone this long before the load, its statements counted: the background rate. */
const IDLE_MS = 2_000;

export interface DebitCeilingFigures {
  /** Debits' worth of the calls per second, N appenders each on its own link's copy. */
  debitsPerSecond: number | undefined;
  /** One debit's calls, start to end. */
  latencyMs: Summary | undefined;
  debits: number;
}

export interface DebitFigures {
  clients: number;
  /** Active links, one per client: each spending stream is contended only by its own client. */
  links: number;
  /** 201s in the measured window, per second over it. */
  authorisationsPerSecond: number | undefined;
  /** Latency of `POST /v1/links/{id}/debits` as the clients saw it (all answers; see `request.statuses`). */
  latencyMs: Summary | undefined;
  request: HttpFigures;
  /**
   * The storage ceiling: what one authorisation asks of the event store, done directly on a bare store of the
   * same kind (no HTTP, no Nest, no folding, no projections): the reads of the link, the debit (empty), the
   * device, customer and address actor streams, the whole spending stream, the append to the spending stream
   * with its expected revision, the append to the new debit stream with `no_stream`, the debit read back.
   */
  storageCeilingPerSecond: number | undefined;
  /** authorisationsPerSecond ÷ storageCeilingPerSecond (the issue aims at ≥ 0.5). */
  ratioToStorageCeiling: number | undefined;
  storageCeiling: DebitCeilingFigures & { readsPerDebit: number; appendsPerDebit: number };
  /** The two appends alone (spending with expected revision, the debit with `no_stream`): a higher bound. */
  appendsOnlyCeiling: DebitCeilingFigures;
  ratioToAppendsOnlyCeiling: number | undefined;
  /** The service's event-store calls by stream kind over the measured load (and its drain), per authorisation. */
  storeCallsPerAuthorisation: Record<string, Omit<StreamKindCalls, 'readMs' | 'appendMs'>>;
  /** SQL statements through the service's SqlClient (a transaction's BEGIN/COMMIT count as two), per authorisation. */
  sqlStatementsPerAuthorisation: number | undefined;
  sqlStatements: Record<string, number>;
  /** The statements sent most over the counted window, per authorisation, by the start of their text. */
  topSqlStatementsPerAuthorisation: { statement: string; perAuthorisation: number }[];
  /**
   * Statements per second with no request at all (projection and process-manager polls, timers), counted
   * over `idleSeconds` before the load: what is background and not the authorisations' own.
   */
  idleSqlStatementsPerSecond: number | undefined;
  idleSeconds: number;
  /** The idle rate over the counted seconds, per authorisation: the part of the count that was no request's. */
  idleSqlStatementsPerAuthorisation: number | undefined;
  /** The measured window and its drain (the statements were counted over it), seconds. */
  countedSeconds: number;
  /**
   * Spending streams' events (mean over the links) at the start and end of the measured load: the ceiling's
   * streams start at the first and begin again at the first when they reach the second, so that its reads
   * of a spending stream are as long as the service's.
   */
  spendingStreamEvents: { atStart: number; atEnd: number };
  /** Events on the longest spending stream at the end: every authorisation reads its link's whole stream. */
  longestSpendingStream: number;
  /** What the authorisation read, as recorded on one lone authorisation: `stream kind` in order. */
  readsOfOneAuthorisation: string[];
}

/** One client's copy of what an authorisation reads, and where its debits go. */
interface CeilingTemplate {
  /** The streams read before the decision, with their events (the link's and the actors'), in order. */
  linkStream: StoredStream;
  actorStreams: StoredStream[];
  spendingEvent: TemplateEvent;
  debitEvent: TemplateEvent;
}

interface StoredStream {
  name: string;
  events: TemplateEvent[];
}

interface TemplateEvent {
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/**
 * Debits over real HTTP (issue 13): N active links set up through the lifecycle (the bank's signed
 * `authentication.succeeded`, the worker activates), then N keep-alive clients, client i authorising 1-yen
 * debits on link i from its bound device, for the load's duration; on a service of its own (nothing of the
 * earlier phases' backlogs), then the storage ceiling on a bare store of the same kind.
 */
export async function measureDebits(
  kind: StoreKind,
  options: Pick<BenchOptions, 'clients' | 'databaseUrl' | 'pollIntervalMs'> & { warmupMs: number; durationMs: number },
): Promise<DebitFigures> {
  const servicePlace = await newPlace(kind, options.databaseUrl);
  let measured: Awaited<ReturnType<typeof loadTheService>>;
  try {
    const service = await startService(servicePlace, { pollIntervalMs: options.pollIntervalMs });
    try {
      measured = await loadTheService(service, options);
    } finally {
      await service.close();
    }
  } finally {
    await servicePlace.discard();
  }

  const ceilingPlace = await newPlace(kind, options.databaseUrl);
  let ceiling: DebitCeilingFigures;
  let appendsOnly: DebitCeilingFigures;
  try {
    ({ ceiling, appendsOnly } = await measureCeilings(ceilingPlace, measured.template, {
      ...options,
      spendingStreamEvents: measured.spendingStreamEvents,
    }));
  } finally {
    await ceilingPlace.discard();
  }

  const { outcome, template } = measured;
  const request = httpFigures(outcome, AUTHORISE);
  const authorised = outcome.requests[AUTHORISE]?.statuses['201'] ?? 0;
  const authorisationsPerSecond = perSecond(authorised, outcome.endedAt - outcome.startedAt);
  const per = (value: number) => (authorised > 0 ? value / authorised : 0);
  const storeCallsPerAuthorisation = Object.fromEntries(
    Object.entries(measured.storeCalls).map(([streamKind, calls]) => [
      streamKind,
      {
        reads: per(calls.reads),
        eventsRead: per(calls.eventsRead),
        appends: per(calls.appends),
        eventsAppended: per(calls.eventsAppended),
        conflicts: per(calls.conflicts),
      },
    ]),
  );
  const statements = measured.sqlStatements.all ?? 0;
  return {
    clients: options.clients,
    links: template.length,
    authorisationsPerSecond,
    latencyMs: request.latencyMs,
    request,
    storageCeilingPerSecond: ceiling.debitsPerSecond,
    ratioToStorageCeiling: ratio(authorisationsPerSecond, ceiling.debitsPerSecond),
    storageCeiling: {
      ...ceiling,
      readsPerDebit: 4 + (template[0]?.actorStreams.length ?? 0),
      appendsPerDebit: 2,
    },
    appendsOnlyCeiling: appendsOnly,
    ratioToAppendsOnlyCeiling: ratio(authorisationsPerSecond, appendsOnly.debitsPerSecond),
    storeCallsPerAuthorisation,
    sqlStatementsPerAuthorisation: authorised > 0 ? statements / authorised : undefined,
    sqlStatements: measured.sqlStatements,
    topSqlStatementsPerAuthorisation: measured.topStatements.map(({ statement, count }) => ({
      statement,
      perAuthorisation: per(count),
    })),
    idleSqlStatementsPerSecond: perSecond(measured.idle.statements, measured.idle.ms),
    idleSeconds: measured.idle.ms / 1000,
    idleSqlStatementsPerAuthorisation:
      authorised > 0 ? (measured.idle.statements / measured.idle.ms) * (measured.countedMs / authorised) : undefined,
    countedSeconds: measured.countedMs / 1000,
    spendingStreamEvents: measured.spendingStreamEvents,
    longestSpendingStream: measured.longestSpendingStream,
    readsOfOneAuthorisation: measured.readsOfOneAuthorisation,
  };
}

async function loadTheService(
  service: RunningService,
  options: { clients: number; warmupMs: number; durationMs: number },
) {
  // N links to active, one lifecycle per client, as the lifecycle phase drives them.
  const setup = await runLoad({
    scenario: 'lifecycle',
    origin: service.origin,
    clients: options.clients,
    durationMs: 120_000,
    maxIterations: 1,
    firstSequence: 0,
    token: service.appToken,
    bankSecret: service.bankSecret,
  });
  const activations = await waitForActivation(service, setup.links, 120_000);
  if (activations.size < options.clients) {
    throw new Error(`only ${activations.size} of ${options.clients} links became active for the debits`);
  }
  const links = await Promise.all(
    setup.links
      .slice(0, options.clients)
      .map(async ({ linkId }) => ({ linkId, deviceId: await boundDevice(service, linkId) })),
  );
  const plan = {
    scenario: 'debits' as const,
    origin: service.origin,
    clients: options.clients,
    token: service.appToken,
    debits: { links, amount: AMOUNT },
  };

  // One authorisation alone, its stream reads recorded: which actor streams the ceiling must read too.
  const recorder = new StreamReadRecorder(service.store);
  const lone = await runLoad({ ...plan, clients: 1, durationMs: 60_000, maxIterations: 1, firstSequence: 1_000_000 });
  recorder.stop();
  const loneFigures = lone.requests[AUTHORISE];
  if (loneFigures?.statuses['201'] !== 1) {
    throw new Error(`the lone debit was not authorised: ${JSON.stringify(loneFigures)}`);
  }
  const first = links[0] as { linkId: string };
  const actorNames = [...new Set(recorder.reads.filter((stream) => stream.startsWith('actor-')))];
  // The first link's actors stand for every link's: the same kinds, the same events of one lifecycle.
  const actorStreams = await Promise.all(actorNames.map((name) => storedStream(service.store, name)));
  const debitEvents = await debitEventsOf(service, first.linkId);
  const template: CeilingTemplate[] = [];
  for (const { linkId } of links) {
    template.push({ linkStream: await storedStream(service.store, `link-${linkId}`), actorStreams, ...debitEvents });
  }

  await runLoad({ ...plan, durationMs: options.warmupMs, firstSequence: 2_000_000 });
  await waitForQuiet(service);
  const storeCalls = new StoreCallCounter(service.store);
  const sql = new SqlStatementCounter(service.sql);
  let outcome: LoadOutcome;
  let idle: { statements: number; ms: number };
  let countedMs: number;
  const atStart = await meanSpendingEvents(service, links);
  try {
    const idleFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    idle = { statements: sql.take().all ?? 0, ms: performance.now() - idleFrom };
    sql.takeTexts(0);
    storeCalls.take();
    const countedFrom = performance.now();
    outcome = await runLoad({ ...plan, durationMs: options.durationMs, firstSequence: 3_000_000 });
    // What the load left for the projections and process managers, counted with it.
    await waitForQuiet(service);
    countedMs = performance.now() - countedFrom;
  } finally {
    sql.stop();
    storeCalls.stop();
  }
  const spendingStreamEvents = { atStart, atEnd: await meanSpendingEvents(service, links) };
  const [longest] = await service.sql.query<{ events: string }>(
    `SELECT count(*)::text AS events FROM es_events WHERE stream_name LIKE 'spending-%'
      GROUP BY stream_name ORDER BY count(*) DESC LIMIT 1`,
  );
  return {
    outcome,
    template,
    storeCalls: storeCalls.take(),
    sqlStatements: sql.take(),
    topStatements: sql.takeTexts(25),
    idle,
    countedMs,
    spendingStreamEvents,
    longestSpendingStream: Number(longest?.events ?? 0),
    readsOfOneAuthorisation: recorder.reads.map((stream) =>
      stream.replace(/^(link|debit|spending|actor-[a-z_]+)-.*$/, '$1-…'),
    ),
  };
}

async function meanSpendingEvents(service: RunningService, links: readonly { linkId: string }[]): Promise<number> {
  const [row] = await service.sql.query<{ events: string }>(
    `SELECT count(*)::text AS events FROM es_events WHERE stream_name IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(links.map(({ linkId }) => spendingStream(linkId)))],
  );
  return Number(row?.events ?? 0) / Math.max(links.length, 1);
}

async function boundDevice(service: RunningService, linkId: string): Promise<string> {
  const client = new KeepAliveClient(new URL(service.origin), 1);
  try {
    const answer = await client.send('GET', `/v1/links/${linkId}`, { authorization: `Bearer ${service.appToken}` });
    const view = JSON.parse(answer.body) as { status?: string; boundDeviceId?: string };
    if (answer.status !== 200 || view.status !== 'active' || !view.boundDeviceId) {
      throw new Error(`link ${linkId} is not active and bound: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    return view.boundDeviceId;
  } finally {
    client.close();
  }
}

async function storedStream(store: EventStore, name: string): Promise<StoredStream> {
  const events = await store.readStream(name);
  return { name, events: events.map(({ type, data, metadata }) => ({ type, data, metadata })) };
}

/** The spending event and the debit event of the link's (lone) authorisation, as the service wrote them. */
async function debitEventsOf(
  service: RunningService,
  linkId: string,
): Promise<{ spendingEvent: TemplateEvent; debitEvent: TemplateEvent }> {
  const [spendingEvent] = await service.store.readStream(spendingStream(linkId));
  const debitId = (spendingEvent?.data as { debitId?: string } | undefined)?.debitId;
  const [debitEvent] = debitId ? await service.store.readStream(debitStream(debitId)) : [];
  if (!spendingEvent || !debitEvent) throw new Error(`no debit recorded on link ${linkId}`);
  const pick = ({ type, data, metadata }: TemplateEvent) => ({ type, data, metadata });
  return { spendingEvent: pick(spendingEvent), debitEvent: pick(debitEvent) };
}

async function measureCeilings(
  place: Place,
  template: CeilingTemplate[],
  options: {
    clients: number;
    warmupMs: number;
    durationMs: number;
    spendingStreamEvents: { atStart: number; atEnd: number };
  },
): Promise<{ ceiling: DebitCeilingFigures; appendsOnly: DebitCeilingFigures }> {
  const { sql, store } = await openBareStore(place);
  try {
    // Each client's link and actor streams, copied under names of its own.
    const copies = await Promise.all(
      template.map(async (one, client) => {
        const copy = async (stream: StoredStream) => {
          const name = `${stream.name}-ceiling${client}`;
          await store.appendToStream(
            name,
            stream.events.map((event) => ({ ...event, id: randomUUID() })),
            'no_stream',
          );
          return name;
        };
        return {
          link: await copy(one.linkStream),
          actors: await Promise.all(one.actorStreams.filter((stream) => stream.events.length > 0).map(copy)),
          // The address's stream may be empty (no attempt came from it): it is read all the same.
          emptyActors: one.actorStreams
            .filter((stream) => stream.events.length === 0)
            .map((s) => `${s.name}-x${client}`),
          spending: '',
          template: one,
        };
      }),
    );
    // A spending stream as long as the service's at the start of its measured load; a new one once as long as
    // the service's at its end.
    const from = Math.round(options.spendingStreamEvents.atStart);
    const upTo = Math.max(Math.round(options.spendingStreamEvents.atEnd), from + 1);
    const freshSpending = async (client: (typeof copies)[number], state: { revision: number | undefined }) => {
      client.spending = `spending-ceiling-${randomUUID()}`;
      state.revision = undefined;
      if (from === 0) return;
      const event = client.template.spendingEvent;
      const append = await store.appendToStream(
        client.spending,
        Array.from({ length: from }, () => ({ ...event, id: randomUUID() })),
        'no_stream',
      );
      state.revision = append.nextExpectedRevision;
    };
    let next = 0;
    const full = async (client: (typeof copies)[number], state: { revision: number | undefined }) => {
      const debit = debitStream(`dbt_ceiling${next++}`);
      // As DebitAuthorisation.authorise without an Idempotency-Key (as the load asks), in a process that keeps
      // the link's spending stream (each client's link is its own): the link (the debit's id is new, so there is
      // no debit stream to read), the actors in one read, the spending append with the revision last written,
      // the debit's append with no_stream.
      await store.readStream(client.link);
      await store.readStreams([...client.actors, ...client.emptyActors]);
      const revision = state.revision;
      await store.appendToStream(
        client.spending,
        [{ ...client.template.spendingEvent, id: randomUUID() }],
        revision === undefined ? 'no_stream' : revision,
      );
      await store.appendToStream(debit, [{ ...client.template.debitEvent, id: randomUUID() }], 'no_stream');
      state.revision = (revision ?? -1) + 1;
    };
    const appendsOnlyStep = async (client: (typeof copies)[number], state: { revision: number | undefined }) => {
      const debit = debitStream(`dbt_appends${next++}`);
      const revision = state.revision;
      await store.appendToStream(
        client.spending,
        [{ ...client.template.spendingEvent, id: randomUUID() }],
        revision === undefined ? 'no_stream' : revision,
      );
      await store.appendToStream(debit, [{ ...client.template.debitEvent, id: randomUUID() }], 'no_stream');
      state.revision = (revision ?? -1) + 1;
    };
    const states = copies.map(() => ({ revision: undefined as number | undefined }));
    const run = async (step: typeof full, durationMs: number) => {
      const latencies: number[] = [];
      const started = performance.now();
      const deadline = started + durationMs;
      await Promise.all(
        copies.map(async (client, index) => {
          const state = states[index] as { revision: number | undefined };
          while (performance.now() < deadline) {
            if (client.spending === '' || (state.revision ?? -1) + 1 >= upTo) await freshSpending(client, state);
            const at = performance.now();
            await step(client, state);
            latencies.push(performance.now() - at);
          }
        }),
      );
      const elapsed = performance.now() - started;
      return {
        debitsPerSecond: perSecond(latencies.length, elapsed),
        latencyMs: summarize(latencies),
        debits: latencies.length,
      };
    };
    // A warm-up, then the measured loads, each spending stream between the service's lengths (above).
    await run(full, options.warmupMs);
    const ceiling = await run(full, options.durationMs);
    const appendsOnly = await run(appendsOnlyStep, options.durationMs);
    return { ceiling, appendsOnly };
  } finally {
    await store.close();
    await sql.close();
  }
}
