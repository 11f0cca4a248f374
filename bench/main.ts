// `npm run bench`: the service's throughput and latency, and in the same run, on the same machine, the
// ceilings that bound them; every figure is also given as a ratio to its ceiling. See bench/README.md.
//
// Why here and built this way: the bench is no part of the service (not an app, not in `dist/`, which
// `npm run build` deletes and rebuilds), so it lives in `bench/` and is compiled with the service's own SWC
// configuration (.swcrc: decorator metadata, the `@lib/*` paths) together with apps/ and libs/ into
// `dist-bench/`, then run on the project's Node 24. Test helpers it reuses (the generated link histories)
// are compiled too; `npm run build` leaves them out.
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BenchUsageError, type BenchOptions, parseOptions, type StoreKind, USAGE } from './options';
import { measureDebits } from './phases/debits';
import { measureHelloWorld } from './phases/hello-world';
import { measureLifecycle } from './phases/lifecycle';
import { measureRawAppends } from './phases/raw-appends';
import { measureRebuild } from './phases/rebuild';
import { startService } from './phases/service';
import { measureUnderAttack, splitClients } from './phases/under-attack';
import { measureWebhooksOut } from './phases/webhooks-out';
import { type StoreResults, tableHeader, tableRows } from './results';
import { newPlace, serverVersion } from './stores';
import { renderTable } from './table';

const say = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measureStore(kind: StoreKind, options: BenchOptions): Promise<StoreResults> {
  const started = Date.now();
  const results: StoreResults = { store: kind, seconds: 0 };
  const load = {
    clients: options.clients,
    warmupMs: options.warmupSeconds * 1000,
    durationMs: options.loadSeconds * 1000,
  };
  const debits = async () => {
    say(
      `${kind}: debits over HTTP (${options.clients} active links, a client each, ${options.loadSeconds} s), ` +
        "then the storage ceiling of an authorisation's reads and appends",
    );
    results.debits = await measureDebits(kind, {
      clients: options.clients,
      databaseUrl: options.databaseUrl,
      pollIntervalMs: options.pollIntervalMs,
      warmupMs: load.warmupMs,
      durationMs: load.durationMs,
    });
    collectGarbage();
  };
  const rebuild = async () => {
    say(`${kind}: rebuild from ${options.rebuildEvents.toLocaleString('en-US')} events, investigator reads`);
    const rebuildPlace = await newPlace(kind, options.databaseUrl);
    try {
      results.rebuild = await measureRebuild(rebuildPlace, {
        events: options.rebuildEvents,
        linkEvents: options.linkEvents,
        accountLinks: options.accountLinks,
        reads: options.investigatorReads,
      });
    } finally {
      await rebuildPlace.discard();
    }
    collectGarbage();
  };
  try {
    if (options.only === 'rebuild') {
      await rebuild();
      results.seconds = (Date.now() - started) / 1000;
      return results;
    }
    if (options.only === 'debits') {
      await debits();
      results.seconds = (Date.now() - started) / 1000;
      return results;
    }
    say(`${kind}: HTTP ceiling (hello world, ${options.clients} clients, ${options.loadSeconds} s)`);
    results.helloWorld = await measureHelloWorld(load);
    collectGarbage();

    say(`${kind}: lifecycle to active over HTTP (${options.clients} clients, ${options.loadSeconds} s)`);
    const servicePlace = await newPlace(kind, options.databaseUrl);
    let template: Awaited<ReturnType<typeof measureLifecycle>>['template'];
    try {
      const service = await startService(servicePlace, { pollIntervalMs: options.pollIntervalMs });
      try {
        const measured = await measureLifecycle(service, servicePlace, load);
        results.lifecycle = measured.figures;
        template = measured.template;
        collectGarbage();

        if (options.only !== 'lifecycle') {
          const { legitimate, attackers } = splitClients(options.clients);
          say(
            `${kind}: legitimate links/s alone, then under attack (${legitimate} legitimate clients, then ` +
              `${attackers} attackers alongside; ${options.loadSeconds} s each)`,
          );
          results.underAttack = await measureUnderAttack(service, {
            clients: options.clients,
            leadMs: load.warmupMs,
            durationMs: load.durationMs,
            firstSequence: measured.nextSequence,
          });
          collectGarbage();

          const backlog = options.mode === 'quick' ? 800 : 4_000;
          say(
            `${kind}: webhooks out to a local receiver (${options.clients} endpoints: HTTP client ceiling, a backlog ` +
              `of about ${backlog} deliveries, then the lifecycle load, ${options.loadSeconds} s each)`,
          );
          results.webhooksOut = await measureWebhooksOut(service, {
            clients: options.clients,
            endpoints: options.clients,
            backlog,
            warmupMs: load.warmupMs,
            durationMs: load.durationMs,
            // Past every account the lifecycle and the attack phases used (one account per link).
            firstSequence: measured.nextSequence + 5_000_000,
          });
        }
      } finally {
        await service.close();
      }
    } finally {
      await servicePlace.discard();
    }
    collectGarbage();

    say(`${kind}: storage ceiling (raw appends of ${template.appends.length} batches a lifecycle)`);
    const rawPlace = await newPlace(kind, options.databaseUrl);
    try {
      results.rawAppends = await measureRawAppends(rawPlace, template, load);
    } finally {
      await rawPlace.discard();
    }
    collectGarbage();
    if (options.only === 'lifecycle') {
      results.seconds = (Date.now() - started) / 1000;
      return results;
    }

    await debits();
    await rebuild();
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(`${kind}: FAILED: ${results.error}`);
  }
  results.seconds = (Date.now() - started) / 1000;
  return results;
}

function pgliteVersion(): string | undefined {
  try {
    const file = join(require.resolve('@electric-sql/pglite'), '..', '..', 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${USAGE}\n`);
    return error.message ? 2 : 0;
  }
  const started = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    pglite: pgliteVersion(),
    postgres: options.stores.includes('PostgreSQL server') ? await serverVersion(options.databaseUrl) : undefined,
    loadAverageAtStart: loadavg(),
  };
  say(
    `${options.mode} mode: ${options.stores.join(' and ')}; node ${machine.node}, ${machine.cpus} cores, ` +
      `PGlite ${machine.pglite}, PostgreSQL ${machine.postgres ?? '–'}`,
  );

  // The server first: whatever the process keeps of a phase (PGlite's WebAssembly memory above all) stays
  // in its RSS, and the server's phases leave little behind. The table shows the embedded default first.
  const measured: StoreResults[] = [];
  for (const kind of [...options.stores].reverse()) measured.push(await measureStore(kind, options));
  const all = options.stores.map((kind) => measured.find((results) => results.store === kind) as StoreResults);

  const table = renderTable(tableHeader(all), tableRows(all, options.clients));
  const seconds = (Date.now() - started.getTime()) / 1000;
  const heading =
    `kouza-link bench, ${options.mode} mode, ${started.toISOString()}: ${machine.cpus} cores, node ${machine.node}, ` +
    `PGlite ${machine.pglite}, PostgreSQL ${machine.postgres ?? '–'}; ${options.clients} clients, ` +
    `${options.loadSeconds} s loads, ${options.rebuildEvents.toLocaleString('en-US')} events rebuilt; ` +
    `${Math.round(seconds)} s in all; load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`;
  process.stdout.write(`\n${heading}\n\n${table}\n`);

  const outFile = resolve(options.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        startedAt: started.toISOString(),
        seconds,
        options,
        machine: { ...machine, loadAverageAtEnd: loadavg() },
        results: all,
        heading,
        table,
      },
      null,
      2,
    )}\n`,
  );
  say(`results in ${outFile}`);
  return all.some((results) => results.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
