import type { EventMetadata } from '@lib/event-store/event-store.port';
import { toCheckpoint } from '@lib/event-store/postgres/checkpoint';
import { KeepAliveClient } from '../http-load/http-client';
import { type LinkTiming, type LoadOutcome, runLoad } from '../http-load/load-plan';
import { type RssFigures, RssSampler } from '../rss';
import { perSecond, type Summary, summarize } from '../stats';
import { type HttpFigures, httpFigures } from './http-figures';
import { LAG_POLL, ProjectionLagRecorder } from './projection-lag';
import type { Place } from '../stores';
import type { RunningService } from './service';
import { SqlStatementCounter } from './sql-calls';
import { StreamReadRecorder } from './store-calls';

/** One append of a lifecycle, as the service made it: which of the lifecycle's streams, from which revision. */
export interface TemplateAppend {
  stream: number;
  firstRevision: number;
  events: { type: string; data: unknown; metadata: EventMetadata }[];
}

/** Every append one link's lifecycle made, in order: what the storage ceiling replays. */
export interface LifecycleTemplate {
  streams: string[];
  appends: TemplateAppend[];
  events: number;
}

export interface LifecycleFigures {
  /** Links whose request and webhook were answered in the measured window. */
  links: number;
  /** Of those, links active by the end of the drain. */
  activated: number;
  /** Links per second from the first request to the last activation. */
  linksPerSecond: number | undefined;
  /** Links per second through their two requests, over the load window. */
  httpLinksPerSecond: number | undefined;
  /** Both requests of a lifecycle per second, for the ratio to the hello-world ceiling. */
  requestsPerSecond: number | undefined;
  postLink: HttpFigures;
  webhook: HttpFigures;
  requestToActiveMs: Summary | undefined;
  webhookToActiveMs: Summary | undefined;
  projectionLagMs: Record<string, Summary | undefined>;
  /** Round trip of the lag recorder's polls of the checkpoints: how finely the lags could be seen. */
  lagPollRoundTripMs: Summary | undefined;
  rss: RssFigures | undefined;
  /** What one lifecycle appended, in order: `stream kind: event types` per append. */
  appendsOfOneLifecycle: string[];
  /** The lone link's stream reads, one entry a call (`a + b` for several streams in one read), in order. */
  readsOfOneLifecycle: string[];
  /** The lone link's SQL statements (their text's start), in order, from its request to its last process manager: background work of those seconds included. */
  sqlOfOneLifecycle: string[];
  /**
   * SQL statements the service sent over the measured load and its drain (until every projection's checkpoint is
   * past the log's head), per link driven: at the `pg` driver on the server, through the service's SqlClient on
   * PGlite (BEGIN and COMMIT included; the lag recorder's own polls taken out, the bench's waits for the
   * activations and the drain, a query every 50–100 ms, left in).
   */
  sqlStatementsPerLink: number | undefined;
  /** The statements sent most over the same window, per link, by the start of their text. */
  topSqlStatementsPerLink: { statement: string; perLink: number }[];
  /** Status of the last link as the app reads it (GET /v1/links/{id}) after the drain. */
  lastLinkAsTheAppSeesIt: string | undefined;
}

const POST_LINK = 'POST /v1/links';
/** The bench's own statements (the log's head, waiting for activations and for the projections). */
const HEAD_POSITION = 'SELECT max(global_position)::text AS head FROM es_events';
const ACTIVATIONS = `SELECT stream_name, recorded_at FROM es_events
  WHERE event_type = 'LinkActivated' AND stream_name IN (SELECT jsonb_array_elements_text($1::jsonb))`;
const LAST_EVENT = `SELECT transaction_id::text AS txid, global_position::text AS position FROM es_events
  ORDER BY global_position DESC LIMIT 1`;
const CHECKPOINTS = 'SELECT checkpoint FROM es_projection_checkpoints';
/** Their keys in a statement count: what the lone link's statements leave out, not the service's. */
const BENCH_STATEMENTS = new Set([HEAD_POSITION, ACTIVATIONS, LAST_EVENT, CHECKPOINTS].map(SqlStatementCounter.keyOf));
const WEBHOOK = 'POST /v1/banks/{code}/events';

/**
 * Links from `POST /v1/links` to `active` over real HTTP: N clients each request a link and send Sandbox
 * Bank's signed `authentication.succeeded` webhook; the service tells the customer (sandbox outbox) and,
 * with no cooling-off, activates the link in its worker. A link counts once `LinkActivated` is in its stream.
 */
export async function measureLifecycle(
  service: RunningService,
  place: Place,
  options: { clients: number; warmupMs: number; durationMs: number },
): Promise<{ figures: LifecycleFigures; template: LifecycleTemplate; nextSequence: number }> {
  const plan = {
    scenario: 'lifecycle' as const,
    origin: service.origin,
    clients: options.clients,
    token: service.appToken,
    bankSecret: service.bankSecret,
  };
  const warmup = await runLoad({ ...plan, durationMs: options.warmupMs, firstSequence: 0 });
  await waitForActivation(service, warmup.links, 60_000);
  // The process managers may still append for the warm-up's links (ending their actors' attempts): wait until no
  // projection has anything left, twice, so that what they appended has been followed too.
  await waitForQuiet(service);
  await waitForQuiet(service);

  // One link alone, after the warm-up: every event appended now is its lifecycle's; its stream reads and SQL
  // statements recorded in order (the bench's own polls left out).
  const before = await headPosition(service);
  const loneReads = new StreamReadRecorder(service.store);
  const loneSql = new SqlStatementCounter(service.sql);
  loneSql.recordSequence();
  const single = await runLoad({
    ...plan,
    clients: 1,
    durationMs: 60_000,
    maxIterations: 1,
    firstSequence: warmup.nextSequence,
  });
  await waitForActivation(service, single.links, 30_000);
  await waitForQuiet(service);
  await waitForQuiet(service);
  loneReads.stop();
  loneSql.stop();
  const sqlOfOneLifecycle = loneSql.takeSequence().filter((statement) => !BENCH_STATEMENTS.has(statement));
  const template = await lifecycleTemplate(service, before);

  const startPosition = await headPosition(service);
  // PGlite is one database in this process: the recorder shares the service's. On the server it has its own pool.
  const lagSql = service.sql.kind === 'pglite' ? service.sql : await place.open(4);
  const lag = new ProjectionLagRecorder(lagSql, 5);
  await lag.start(service.sql.kind === 'pglite' ? 16 : 4);
  const rss = new RssSampler(() => Math.max(lag.position - startPosition, 0));
  const sql = new SqlStatementCounter(service.sql);
  const lagPollsBefore = lag.pollRoundTrips.length;
  let outcome: LoadOutcome;
  let activations: Map<string, number>;
  let statements: number;
  let topStatements: { statement: string; count: number }[];
  try {
    sql.takeTexts(0);
    outcome = await runLoad({ ...plan, durationMs: options.durationMs, firstSequence: single.nextSequence });
    activations = await waitForActivation(service, outcome.links, 60_000);
    await waitForQuiet(service);
    // The recorder polls through the counted client on PGlite, through a pool of its own (counted at the driver) on the server.
    const lagPolls = lag.pollRoundTrips.length - lagPollsBefore;
    statements = (sql.take().all ?? 0) - lagPolls;
    // The recorder's own poll is not the service's (the total above leaves it out too).
    topStatements = sql
      .takeTexts(16)
      .filter(({ statement }) => !statement.startsWith(LAG_POLL))
      .slice(0, 15);
  } finally {
    sql.stop();
  }
  const perLink = (count: number) => (outcome.links.length > 0 ? count / outcome.links.length : 0);
  const projectionLagMs = await lag.stop(startPosition);
  if (lagSql !== service.sql) await lagSql.close();
  // PGlite's WebAssembly memory grows in steps while its caches fill, then holds: the slope is fitted over the
  // second half. A load appends tens of thousands of events, hence per 10k.
  const rssFigures = rss.stop(10_000, 'events appended');

  return {
    figures: {
      ...lifecycleFigures(outcome, activations),
      projectionLagMs,
      lagPollRoundTripMs: summarize(lag.pollRoundTrips),
      rss: rssFigures,
      appendsOfOneLifecycle: template.appends.map(
        (append) =>
          `${(template.streams[append.stream] ?? '').replace(/^(link|bank-account)-.*$/, '$1-…')}: ${append.events.map((event) => event.type).join(', ')}`,
      ),
      readsOfOneLifecycle: loneReads.calls.map((streams) =>
        streams.map((stream) => stream.replace(/^(link|bank-account|actor-[a-z_]+)-.*$/, '$1-…')).join(' + '),
      ),
      sqlOfOneLifecycle,
      sqlStatementsPerLink: outcome.links.length > 0 ? perLink(statements) : undefined,
      topSqlStatementsPerLink: topStatements.map(({ statement, count }) => ({ statement, perLink: perLink(count) })),
      lastLinkAsTheAppSeesIt: await statusAsTheAppSeesIt(service, outcome.links.at(-1)?.linkId),
    },
    template,
    nextSequence: outcome.nextSequence,
  };
}

/** What one load of lifecycles gave: throughputs to active and through the two requests, latencies. */
export type LifecycleLoadFigures = Omit<
  LifecycleFigures,
  | 'projectionLagMs'
  | 'lagPollRoundTripMs'
  | 'rss'
  | 'appendsOfOneLifecycle'
  | 'readsOfOneLifecycle'
  | 'sqlOfOneLifecycle'
  | 'lastLinkAsTheAppSeesIt'
  | 'sqlStatementsPerLink'
  | 'topSqlStatementsPerLink'
>;

export function lifecycleFigures(outcome: LoadOutcome, activations: Map<string, number>): LifecycleLoadFigures {
  const toActive: number[] = [];
  const webhookToActive: number[] = [];
  let lastActivation = outcome.startedAt;
  for (const link of outcome.links) {
    const activatedAt = activations.get(link.linkId);
    if (activatedAt === undefined) continue;
    toActive.push(activatedAt - link.requestedAt);
    webhookToActive.push(Math.max(activatedAt - link.authenticatedAt, 0));
    lastActivation = Math.max(lastActivation, activatedAt);
  }
  const window = outcome.endedAt - outcome.startedAt;
  const postLink = httpFigures(outcome, POST_LINK);
  const webhook = httpFigures(outcome, WEBHOOK);
  return {
    links: outcome.links.length,
    activated: toActive.length,
    linksPerSecond: perSecond(toActive.length, lastActivation - outcome.startedAt),
    httpLinksPerSecond: perSecond(outcome.links.length, window),
    requestsPerSecond: perSecond(postLink.requests + webhook.requests, window),
    postLink,
    webhook,
    requestToActiveMs: summarize(toActive),
    webhookToActiveMs: summarize(webhookToActive),
  };
}

export async function headPosition(service: RunningService): Promise<number> {
  const [row] = await service.sql.query<{ head: string | null }>(HEAD_POSITION);
  return Number(row?.head ?? 0);
}

/**
 * Waits until every link has `LinkActivated` (or the time is up) and returns when each was recorded
 * (the store's clock, milliseconds), by link id.
 */
export async function waitForActivation(
  service: RunningService,
  links: readonly LinkTiming[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  const streams = links.map((link) => `link-${link.linkId}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await service.sql.query<{ stream_name: string; recorded_at: Date | string }>(ACTIVATIONS, [
      JSON.stringify(streams),
    ]);
    if (rows.length >= streams.length || Date.now() > deadline) {
      return new Map(rows.map((row) => [row.stream_name.slice('link-'.length), new Date(row.recorded_at).getTime()]));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every append after `afterPosition`, grouped by stream and transaction, streams numbered in order of appearance. */
async function lifecycleTemplate(service: RunningService, afterPosition: number): Promise<LifecycleTemplate> {
  const rows = await service.sql.query<{
    stream_name: string;
    txid: string;
    revision: string;
    event_type: string;
    data: unknown;
    metadata: EventMetadata;
  }>(
    `SELECT stream_name, transaction_id::text AS txid, revision::text AS revision, event_type, data, metadata
       FROM es_events WHERE global_position > $1 ORDER BY global_position`,
    [afterPosition],
  );
  const streams: string[] = [];
  const appends: TemplateAppend[] = [];
  let previous: { stream: string; txid: string } | undefined;
  for (const row of rows) {
    let stream = streams.indexOf(row.stream_name);
    if (stream < 0) stream = streams.push(row.stream_name) - 1;
    const event = { type: row.event_type, data: row.data, metadata: row.metadata };
    if (previous?.stream === row.stream_name && previous.txid === row.txid) {
      appends.at(-1)?.events.push(event);
    } else {
      appends.push({ stream, firstRevision: Number(row.revision), events: [event] });
    }
    previous = { stream: row.stream_name, txid: row.txid };
  }
  return { streams, appends, events: rows.length };
}

async function statusAsTheAppSeesIt(service: RunningService, linkId: string | undefined): Promise<string | undefined> {
  if (!linkId) return undefined;
  const client = new KeepAliveClient(new URL(service.origin), 1);
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await client.send('GET', `/v1/links/${linkId}`, { authorization: `Bearer ${service.appToken}` });
      const status =
        answer.status === 200 ? (JSON.parse(answer.body) as { status: string }).status : `${answer.status}`;
      if (status === 'active' || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    client.close();
  }
}

/** Until every projection's checkpoint has reached the log's head (or 30 s): the load's work, drained. */
export async function waitForQuiet(service: RunningService): Promise<void> {
  const [head] = await service.sql.query<{ txid: string; position: string }>(LAST_EVENT);
  if (!head) return;
  const target = toCheckpoint(head.txid, head.position);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await service.sql.query<{ checkpoint: string | null }>(CHECKPOINTS);
    if (rows.every((row) => (row.checkpoint ?? '') >= target) || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
