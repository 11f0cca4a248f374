import type { StoreKind } from './options';
import type { DebitFigures } from './phases/debits';
import type { HttpFigures } from './phases/http-figures';
import type { LifecycleFigures } from './phases/lifecycle';
import type { RawAppendFigures } from './phases/raw-appends';
import type { RebuildFigures } from './phases/rebuild';
import type { StreamKindCalls } from './phases/store-calls';
import type { UnderAttackFigures } from './phases/under-attack';
import type { WebhooksOutFigures } from './phases/webhooks-out';
import type { RssFigures } from './rss';
import { ATTACK_POOL } from './http-load/attack-requests';
import { splitClients } from './phases/under-attack';
import { ratio, type Summary } from './stats';
import { formatNumber, formatPair, formatRatio } from './table';

export interface StoreResults {
  store: StoreKind;
  helloWorld?: HttpFigures;
  lifecycle?: LifecycleFigures;
  /** Legitimate links/s alone and with the 2020 attack alongside, same service, right after the lifecycle. */
  underAttack?: UnderAttackFigures;
  /** Deliveries/s to a local receiver and domain event → delivery lag, beside a plain HTTP client's ceiling. */
  webhooksOut?: WebhooksOutFigures;
  rawAppends?: RawAppendFigures;
  /** Debit authorisations/s over HTTP on distinct active links, beside the storage ceiling of a debit's calls. */
  debits?: DebitFigures;
  rebuild?: RebuildFigures;
  error?: string;
  seconds: number;
}

type Cell = (results: StoreResults) => string;

const pair = (summary: Summary | undefined) => formatPair(summary?.p50, summary?.p99);
const rssCell = (rss: RssFigures | undefined) =>
  rss
    ? `${formatNumber(rss.startMb)} / ${formatNumber(rss.peakMb)} / ${formatNumber(rss.endMb)} MB, ${formatSigned(rss.slopeMb)} MB per ${rss.per / 1000}k events`
    : '–';
const formatCount = (value: number) => value.toLocaleString('en-US');
const formatShare = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 100)} %`);
const formatSigned = (value: number | undefined) =>
  value === undefined ? '–' : `${value >= 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`;

/**
 * The rows of the results table: each figure, then its ratio to the ceiling measured beside it in the
 * same run. `server ÷ embedded` compares the stores where it means something (throughputs).
 */
export function tableRows(all: readonly StoreResults[], clients: number): string[][] {
  const rows: { figure: string; cell: Cell; compare?: (r: StoreResults) => number | undefined }[] = [];
  const add = (figure: string, cell: Cell, compare?: (r: StoreResults) => number | undefined) =>
    rows.push({ figure, cell, ...(compare ? { compare } : {}) });

  const hello = (r: StoreResults) => r.helloWorld?.requestsPerSecond;
  const raw = (r: StoreResults) => r.rawAppends?.lifecyclesPerSecond;
  const links = (r: StoreResults) => r.lifecycle?.linksPerSecond;

  // No server ÷ embedded here: the hello world touches no store, so that ratio would only show the machine's noise.
  add(`HTTP ceiling: NestJS-Fastify hello world, req/s (${clients} clients)`, (r) => formatNumber(hello(r)));
  add('  hello world p50 / p99 ms', (r) => pair(r.helloWorld?.latencyMs));
  add(
    `storage ceiling: raw appends of a lifecycle's batches, lifecycles/s (${clients} appenders)`,
    (r) => formatNumber(raw(r)),
    raw,
  );
  add('  raw append p50 / p99 ms', (r) => pair(r.rawAppends?.appendLatencyMs));
  add('lifecycle: links/s, POST /v1/links → active', (r) => formatNumber(links(r)), links);
  add('  links/s through their two requests (the HTTP side)', (r) => formatNumber(r.lifecycle?.httpLinksPerSecond));
  add('  ÷ HTTP ceiling (2 requests a link)', (r) => formatRatio(ratio(r.lifecycle?.requestsPerSecond, hello(r))));
  add('  ÷ storage ceiling', (r) => formatRatio(ratio(links(r), raw(r))));
  add('  links active / driven', (r) => (r.lifecycle ? `${r.lifecycle.activated} / ${r.lifecycle.links}` : '–'));
  add('  SQL statements per link (load and drain)', (r) => formatNumber(r.lifecycle?.sqlStatementsPerLink));
  add('POST /v1/links p50 / p99 ms', (r) => pair(r.lifecycle?.postLink.latencyMs));
  add('  p50 ÷ hello-world p50', (r) =>
    formatRatio(ratio(r.lifecycle?.postLink.latencyMs?.p50, r.helloWorld?.latencyMs?.p50)),
  );
  add('webhook POST /v1/banks/9900/events p50 / p99 ms', (r) => pair(r.lifecycle?.webhook.latencyMs));
  add('  p50 ÷ hello-world p50', (r) =>
    formatRatio(ratio(r.lifecycle?.webhook.latencyMs?.p50, r.helloWorld?.latencyMs?.p50)),
  );
  add('request → active p50 / p99 ms', (r) => pair(r.lifecycle?.requestToActiveMs));
  add('  webhook answered → active p50 / p99 ms', (r) => pair(r.lifecycle?.webhookToActiveMs));
  const projections = [...new Set(all.flatMap((r) => Object.keys(r.lifecycle?.projectionLagMs ?? {})))].sort();
  for (const projection of projections) {
    add(`projection lag p50 / p99 ms: ${projection}`, (r) => pair(r.lifecycle?.projectionLagMs[projection]));
  }
  add('  round trip of the lag polls p50 / p99 ms (resolution)', (r) => pair(r.lifecycle?.lagPollRoundTripMs));
  add('RSS under load: start / peak / end, slope', (r) => rssCell(r.lifecycle?.rss));

  const { legitimate, attackers } = splitClients(clients);
  const alone = (r: StoreResults) => r.underAttack?.alone.linksPerSecond;
  const attacked = (r: StoreResults) => r.underAttack?.underAttack.linksPerSecond;
  const attackRate = (r: StoreResults) => r.underAttack?.attack.requestsPerSecond;
  add(`under attack: legitimate links/s → active, alone (${legitimate} clients)`, (r) => formatNumber(alone(r)), alone);
  add(`  the same with ${attackers} attacker clients alongside`, (r) => formatNumber(attacked(r)), attacked);
  add('  ÷ alone (goal ≥ 0.9×)', (r) => formatRatio(r.underAttack?.linksPerSecondRatio));
  add('  through their two requests, links/s: alone / under attack (÷)', (r) =>
    r.underAttack
      ? `${formatPair(r.underAttack.alone.httpLinksPerSecond, r.underAttack.underAttack.httpLinksPerSecond)} (${formatRatio(r.underAttack.httpLinksPerSecondRatio)})`
      : '–',
  );
  add('  links active / driven: alone; under attack', (r) =>
    r.underAttack
      ? `${r.underAttack.alone.activated} / ${r.underAttack.alone.links}; ${r.underAttack.underAttack.activated} / ${r.underAttack.underAttack.links}`
      : '–',
  );
  add('  legitimate POST /v1/links p50 / p99 ms: alone; under attack', (r) =>
    r.underAttack
      ? `${pair(r.underAttack.alone.postLink.latencyMs)}; ${pair(r.underAttack.underAttack.postLink.latencyMs)}`
      : '–',
  );
  add(
    `  attack: POST /v1/links per s (${ATTACK_POOL.devices} devices, ${ATTACK_POOL.customers} customers, one address)`,
    (r) => formatNumber(attackRate(r)),
    attackRate,
  );
  add('    accepted / actor_blocked / other', (r) => {
    const outcomes = r.underAttack?.attack.outcomes;
    return outcomes
      ? `${formatCount(outcomes.accepted)} / ${formatCount(outcomes.actor_blocked)} / ${formatCount(outcomes.other)}`
      : '–';
  });
  add('    attacker POST /v1/links p50 / p99 ms', (r) => pair(r.underAttack?.attack.latencyMs));
  add("  service's requests/s under attack ÷ legitimate alone (attackers' share)", (r) =>
    r.underAttack
      ? `${formatRatio(r.underAttack.serviceRequestsPerSecondRatio)} (${formatShare(r.underAttack.attackShareOfRequests)})`
      : '–',
  );
  add('  actor streams: reads / events read / conflicts, alone; under attack', (r) => {
    const calls = r.underAttack?.storeCalls;
    if (!calls) return '–';
    const actors = (of: Record<string, StreamKindCalls>) => {
      const sum = { reads: 0, eventsRead: 0, conflicts: 0 };
      for (const [kind, figures] of Object.entries(of)) {
        if (!kind.startsWith('actor-')) continue;
        sum.reads += figures.reads;
        sum.eventsRead += figures.eventsRead;
        sum.conflicts += figures.conflicts;
      }
      return `${formatCount(sum.reads)} / ${formatCount(sum.eventsRead)} / ${formatCount(sum.conflicts)}`;
    };
    return `${actors(calls.alone)}; ${actors(calls.underAttack)}`;
  });
  add('  longest actor stream at the end, events', (r) => {
    const longest = r.underAttack?.longestActorStreams[0];
    return longest ? `${formatCount(longest.events)} (${longest.kind})` : '–';
  });

  const webhooks = (r: StoreResults) => r.webhooksOut;
  const backlogRate = (r: StoreResults) => r.webhooksOut?.backlog.deliveriesPerSecond;
  add('webhooks out ceiling: plain HTTP client to the receiver, req/s, new connection each (concurrency)', (r) =>
    webhooks(r) ? `${formatNumber(webhooks(r)?.ceiling.requestsPerSecond)} (${webhooks(r)?.ceiling.concurrency})` : '–',
  );
  add('  its request p50 / p99 ms', (r) => pair(r.webhooksOut?.ceiling.latencyMs));
  add('  keep-alive: req/s; p50 / p99 ms', (r) =>
    webhooks(r)
      ? `${formatNumber(webhooks(r)?.keepAliveCeiling.requestsPerSecond)}; ${pair(webhooks(r)?.keepAliveCeiling.latencyMs)}`
      : '–',
  );
  add(
    'webhooks out: deliveries/s draining a replayed backlog (delivered / queued)',
    (r) =>
      webhooks(r)
        ? `${formatNumber(backlogRate(r))} (${formatCount(webhooks(r)?.backlog.delivered ?? 0)} / ${formatCount(webhooks(r)?.backlog.queued ?? 0)})`
        : '–',
    backlogRate,
  );
  add('  ÷ ceiling (new connections); ÷ keep-alive', (r) =>
    webhooks(r)
      ? `${formatRatio(webhooks(r)?.backlog.ratioToCeiling)}; ${formatRatio(webhooks(r)?.backlog.ratioToKeepAliveCeiling)}`
      : '–',
  );
  add('  under the lifecycle load: deliveries/s (delivered / expected)', (r) =>
    webhooks(r)
      ? `${formatNumber(webhooks(r)?.underLoad.deliveriesPerSecond)} (${formatCount(webhooks(r)?.underLoad.delivered ?? 0)} / ${formatCount(webhooks(r)?.underLoad.expected ?? 0)})`
      : '–',
  );
  add('  lag domain event → delivered p50 / p99 ms', (r) => pair(r.webhooksOut?.underLoad.lagMs));
  add('    ÷ ceiling request p50 / p99', (r) =>
    webhooks(r)
      ? `${formatRatio(webhooks(r)?.underLoad.lagP50Ratio)} / ${formatRatio(webhooks(r)?.underLoad.lagP99Ratio)}`
      : '–',
  );
  add('    event → queued (process manager) p50 / p99 ms', (r) => pair(r.webhooksOut?.underLoad.queueLagMs));
  add('    queued → received (dispatcher) p50 / p99 ms', (r) => pair(r.webhooksOut?.underLoad.dispatchLagMs));

  const debitCeiling = (r: StoreResults) => r.debits?.storageCeilingPerSecond;
  const appendsOnly = (r: StoreResults) => r.debits?.appendsOnlyCeiling.debitsPerSecond;
  const authorisations = (r: StoreResults) => r.debits?.authorisationsPerSecond;
  add(
    `debits storage ceiling: an authorisation's reads and 2 appends, direct, debits/s (${clients} appenders)`,
    (r) => formatNumber(debitCeiling(r)),
    debitCeiling,
  );
  add('  its p50 / p99 ms', (r) => pair(r.debits?.storageCeiling.latencyMs));
  add('  the 2 appends alone, debits/s; p50 / p99 ms', (r) =>
    r.debits ? `${formatNumber(appendsOnly(r))}; ${pair(r.debits.appendsOnlyCeiling.latencyMs)}` : '–',
  );
  add(
    `debits: authorisations/s, POST /v1/links/{id}/debits (${clients} clients, a link each)`,
    (r) => formatNumber(authorisations(r)),
    authorisations,
  );
  add('  p50 / p99 ms', (r) => pair(r.debits?.latencyMs));
  add('  ÷ storage ceiling (goal ≥ 0.5×); ÷ the appends alone', (r) =>
    r.debits
      ? `${formatRatio(r.debits.ratioToStorageCeiling)}; ${formatRatio(r.debits.ratioToAppendsOnlyCeiling)}`
      : '–',
  );
  add('  per authorisation: stream reads / appends / SQL statements (whole service; at the idle rate)', (r) => {
    const all = r.debits?.storeCallsPerAuthorisation.all;
    return all
      ? `${formatNumber(all.reads)} / ${formatNumber(all.appends)} / ${formatNumber(r.debits?.sqlStatementsPerAuthorisation)} (${formatNumber(r.debits?.idleSqlStatementsPerAuthorisation)})`
      : '–';
  });
  add('  answers (status: count); longest spending stream, events', (r) =>
    r.debits
      ? `${Object.entries(r.debits.request.statuses)
          .map(([status, count]) => `${status}: ${formatCount(count)}`)
          .join(', ')}; ${formatCount(r.debits.longestSpendingStream)}`
      : '–',
  );

  const readAll = (r: StoreResults) => r.rebuild?.readAll.eventsPerSecond;
  add('rebuild ceiling: readAll of the log, events/s', (r) => formatNumber(readAll(r)), readAll);
  const models = [...new Set(all.flatMap((r) => r.rebuild?.readModels.map((model) => model.projection) ?? []))];
  for (const model of models) {
    const rate = (r: StoreResults) => r.rebuild?.readModels.find((m) => m.projection === model)?.eventsPerSecond;
    add(`rebuild read model ${model}, log events/s`, (r) => formatNumber(rate(r)), rate);
    add('  ÷ readAll', (r) => formatRatio(ratio(rate(r), readAll(r))));
  }
  const allModels = (r: StoreResults) => r.rebuild?.allReadModels.eventsPerSecond;
  add(
    'rebuild every read model in one pass, log events/s',
    (r) => (r.rebuild ? `${formatNumber(allModels(r))} (${formatNumber(r.rebuild.events)} events)` : '–'),
    allModels,
  );
  add('  ÷ readAll', (r) => formatRatio(ratio(allModels(r), readAll(r))));
  const eachAlone = (r: StoreResults) => r.rebuild?.allReadModels.eachAlone?.eventsPerSecond;
  add('  each alone, one after the other, log events/s', (r) => formatNumber(eachAlone(r)), eachAlone);
  add('  ÷ readAll', (r) => formatRatio(ratio(eachAlone(r), readAll(r))));
  add('RSS during rebuild: start / peak / end, slope', (r) => rssCell(r.rebuild?.allReadModels.rss));
  add('RSS writing the log: start / peak / end, slope', (r) => rssCell(r.rebuild?.generation.rss));
  add('investigator: link state as of now, 1,000 events, p50 / p99 ms', (r) => pair(r.rebuild?.investigator.asOfNowMs));
  add('  as of half-way (readStream until + fold) p50 / p99 ms', (r) => pair(r.rebuild?.investigator.asOfHalfwayMs));
  add('investigator: account with 100 links, history read model p50 / p99 ms', (r) =>
    pair(r.rebuild?.investigator.accountHistoryMs),
  );
  add('  its guard stream read + fold p50 / p99 ms', (r) => pair(r.rebuild?.investigator.guardStreamMs));

  const embedded = all.find((r) => r.store === 'embedded PGlite');
  const server = all.find((r) => r.store === 'PostgreSQL server');
  return rows.map(({ figure, cell, compare }) => [
    figure,
    ...all.map((r) => cell(r)),
    ...(embedded && server ? [compare ? formatRatio(ratio(compare(server), compare(embedded))) : ''] : []),
  ]);
}

export function tableHeader(all: readonly StoreResults[]): string[] {
  const both = all.some((r) => r.store === 'embedded PGlite') && all.some((r) => r.store === 'PostgreSQL server');
  return ['figure', ...all.map((r) => r.store), ...(both ? ['server ÷ embedded'] : [])];
}
