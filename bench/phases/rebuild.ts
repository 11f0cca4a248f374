import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import type { Checkpoint, EventMetadata, EventStore } from '@lib/event-store/event-store.port';
import { BlueGreenRebuild, REBUILD_PAGE_SIZE } from '@lib/event-store/projections/blue-green-rebuild';
import { bankAccountGuardStream, linkStream } from '@lib/account-linking/application/link-streams';
import { bankAccountGuardDecider } from '@lib/account-linking/domain/bank-account-guard/bank-account-guard.decider';
import type { LinkEvent } from '@lib/account-linking/domain/link/link-events';
import { linkDecider } from '@lib/account-linking/domain/link/link.decider';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { SqlAccountHistory } from '@lib/account-linking/infrastructure/read-models/sql-account-history';
import {
  appendGenerated,
  generatedLinkHistories,
} from '@lib/account-linking/infrastructure/read-models/testing/generated-links';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { type RssFigures, RssSampler } from '../rss';
import { perSecond, type Summary, summarize } from '../stats';
import { openBareStore, type Place } from '../stores';

export interface RebuildFigures {
  /** Events in the log when the read models were rebuilt. */
  events: number;
  generation: { eventsPerSecond: number | undefined; seconds: number; rss: RssFigures | undefined };
  /** The store's raw read of the whole log (`readAll` pages of `REBUILD_PAGE_SIZE`, no filter): the rebuild's ceiling. */
  readAll: { eventsPerSecond: number | undefined; seconds: number };
  /** Each read model rebuilt blue/green from zero (as the admin API does), one after the other. */
  readModels: {
    projection: string;
    seconds: number;
    /** Log events gone through per second (the figure to hold against `readAll`). */
    eventsPerSecond: number | undefined;
    /** Events of its filter it applied. */
    eventsApplied: number;
  }[];
  /**
   * Every read model rebuilt in one pass over the log (as `POST /v1/admin/projections/rebuild` runs): log events
   * per second; beside it, the same from the rebuilds of each alone, one after the other (`eachAlone`).
   */
  allReadModels: {
    eventsPerSecond: number | undefined;
    seconds: number;
    rss: RssFigures | undefined;
    eachAlone: { eventsPerSecond: number | undefined; seconds: number };
  };
  investigator: InvestigatorFigures;
}

export interface InvestigatorFigures {
  /** `readStream` with `until` + fold of a link with `linkEvents` events, as of half-way and as of now. */
  asOfHalfwayMs: Summary | undefined;
  asOfNowMs: Summary | undefined;
  linkEvents: number;
  eventsFoldedHalfway: number;
  /** The account-history read model's query for an account with `accountLinks` links. */
  accountHistoryMs: Summary | undefined;
  accountHistoryEntries: number;
  /** The same account's guard stream, read and folded. */
  guardStreamMs: Summary | undefined;
  guardStreamEvents: number;
  accountLinks: number;
}

const GENERATED_LINKS_PER_CHUNK = 2_000;

/**
 * On a bare store of the same kind: N events of generated link histories (every shape the lifecycle
 * allows), written straight into the store; a link with 1,000 events and an account with 100 links among
 * them; then the raw read-all rate, each read model's rebuild, and the investigator's reads.
 */
export async function measureRebuild(
  place: Place,
  options: { events: number; linkEvents: number; accountLinks: number; reads: number },
): Promise<RebuildFigures> {
  const { sql, store } = await openBareStore(place);
  try {
    const generation = await generate(sql, options.events);
    const asOfLink = await appendLongLink(store, options.linkEvents);
    const accountToken = await appendBusyAccount(sql, options.accountLinks);
    const [{ total }] = (await sql.query<{ total: string }>('SELECT count(*)::text AS total FROM es_events')) as [
      { total: string },
    ];
    const events = Number(total);

    const readAllStarted = performance.now();
    let read = 0;
    let checkpoint: Checkpoint | undefined;
    for (;;) {
      const page = await store.readAll(checkpoint, REBUILD_PAGE_SIZE);
      read += page.events.length;
      checkpoint = page.checkpoint;
      if (page.isEnd) break;
    }
    const readAllMs = performance.now() - readAllStarted;
    if (read !== events) throw new Error(`readAll read ${read} events of ${events}`);

    const readModels: RebuildFigures['readModels'] = [];
    for (const projection of accountLinkingReadModels()) {
      const started = performance.now();
      const progress = await new BlueGreenRebuild(store, sql, projection).run();
      const seconds = (performance.now() - started) / 1000;
      readModels.push({
        projection: projection.name,
        seconds,
        eventsPerSecond: perSecond(events, seconds * 1000),
        eventsApplied: progress.eventsApplied,
      });
    }
    const eachAloneSeconds = readModels.reduce((sum, model) => sum + model.seconds, 0);

    let position = 0;
    const rss = new RssSampler(() => position);
    const onePassStarted = performance.now();
    await new BlueGreenRebuild(store, sql, accountLinkingReadModels(), {
      progressIntervalMs: 100,
      onProgress: (report) => {
        position = report.position ?? 0;
        rss.tick();
      },
    }).run();
    const onePassSeconds = (performance.now() - onePassStarted) / 1000;
    const rebuildRss = rss.stop(100_000, 'events rebuilt');

    return {
      events,
      generation,
      readAll: { eventsPerSecond: perSecond(events, readAllMs), seconds: readAllMs / 1000 },
      readModels,
      allReadModels: {
        eventsPerSecond: perSecond(events, onePassSeconds * 1000),
        seconds: onePassSeconds,
        rss: rebuildRss,
        eachAlone: { eventsPerSecond: perSecond(events, eachAloneSeconds * 1000), seconds: eachAloneSeconds },
      },
      investigator: await measureInvestigatorReads(store, sql, asOfLink, accountToken, options),
    };
  } finally {
    await store.close();
    await sql.close();
  }
}

async function generate(sql: SqlClient, target: number): Promise<RebuildFigures['generation']> {
  let written = 0;
  const rss = new RssSampler(() => written);
  const started = performance.now();
  for (let chunk = 0; written < target; chunk++) {
    const appends = generatedLinkHistories(GENERATED_LINKS_PER_CHUNK, {
      tag: `c${chunk}`,
      startAt: new Date(Date.UTC(2026, 0, 1) + chunk * GENERATED_LINKS_PER_CHUNK * 60_000),
    });
    let events = 0;
    for (const append of appends) events += append.events.length;
    // The last chunk only as far as the target (whole link histories, in order).
    let keep = appends.length;
    if (written + events > target) {
      let sum = written;
      keep = appends.findIndex((append) => {
        sum += append.events.length;
        return sum >= target;
      });
      keep += 1;
    }
    const kept = appends.slice(0, keep);
    await appendGenerated(sql, kept);
    for (const append of kept) written += append.events.length;
    rss.tick();
  }
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: perSecond(written, seconds * 1000), seconds, rss: rss.stop(100_000, 'events appended') };
}

const metadata = (): EventMetadata => ({
  actor: { type: 'system', id: 'bench' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: new Date().toISOString(),
});

/**
 * An active link suspended and reinstated by its bank again and again, to `count` events, appended 20 at a
 * time so that its events carry many recorded times. Returns its id and the time half of them were recorded by.
 */
async function appendLongLink(store: EventStore, count: number): Promise<{ linkId: string; halfway: Date }> {
  const generated = generatedLinkHistories(8, { tag: 'asof' }).find(
    (append) => append.stream.startsWith('link-') && append.events.some((event) => event.type === 'LinkActivated'),
  );
  if (!generated) throw new Error('the generator made no active link');
  const linkId = generated.stream.slice('link-'.length);
  const events = [...generated.events] as LinkEvent[];
  const at = Date.parse('2026-06-01T00:00:00Z');
  while (events.length < count) {
    const n = events.length;
    const data = { linkId, at: new Date(at + n * 60_000).toISOString(), by: 'bank' as const, reason: `bench ${n}` };
    events.push(n % 2 === 0 ? { type: 'LinkSuspended', data } : { type: 'LinkReinstated', data });
  }
  let halfway = new Date();
  for (let start = 0; start < events.length; start += 20) {
    const batch = events.slice(start, start + 20);
    await store.appendToStream(
      generated.stream,
      batch.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: metadata() })),
      start === 0 ? 'no_stream' : start - 1,
    );
    if (start + batch.length <= events.length / 2) halfway = new Date();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { linkId, halfway };
}

/** `links` links (and their guard-stream entries) on one bank account; returns the account's token. */
async function appendBusyAccount(sql: SqlClient, links: number): Promise<string> {
  const tag = 'busy';
  await appendGenerated(sql, generatedLinkHistories(links, { tag, linksPerAccount: links }));
  return `acct_gen${tag}_0`;
}

async function measureInvestigatorReads(
  store: EventStore,
  sql: SqlClient,
  asOfLink: { linkId: string; halfway: Date },
  accountToken: string,
  options: { linkEvents: number; accountLinks: number; reads: number },
): Promise<InvestigatorFigures> {
  const time = async <T>(work: () => Promise<T>): Promise<{ samples: number[]; last: T }> => {
    const samples: number[] = [];
    let last: T | undefined;
    await work(); // warm
    for (let read = 0; read < options.reads; read++) {
      const started = performance.now();
      last = await work();
      samples.push(performance.now() - started);
    }
    return { samples, last: last as T };
  };
  const stream = linkStream(asOfLink.linkId);
  const halfway = await time(() => aggregateStream(store, stream, linkDecider, asOfLink.halfway));
  const now = await time(() => aggregateStream(store, stream, linkDecider, new Date()));
  if ((now.last.revision ?? -1) + 1 !== options.linkEvents) {
    throw new Error(`the long link folded ${(now.last.revision ?? -1) + 1} events, not ${options.linkEvents}`);
  }
  const history = new SqlAccountHistory(sql);
  const entries = await time(() => history.entriesFor(accountToken));
  const guard = bankAccountGuardStream(accountToken);
  const folded = await time(() => aggregateStream(store, guard, bankAccountGuardDecider));
  return {
    asOfHalfwayMs: summarize(halfway.samples),
    asOfNowMs: summarize(now.samples),
    linkEvents: options.linkEvents,
    eventsFoldedHalfway: (halfway.last.revision ?? -1) + 1,
    accountHistoryMs: summarize(entries.samples),
    accountHistoryEntries: entries.last.length,
    guardStreamMs: summarize(folded.samples),
    guardStreamEvents: (folded.last.revision ?? -1) + 1,
    accountLinks: options.accountLinks,
  };
}
