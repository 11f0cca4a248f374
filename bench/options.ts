/** What `npm run bench` is asked to do: argv and environment to settings (pure, so it can be tested). */

export type StoreKind = 'embedded PGlite' | 'PostgreSQL server';
export const STORE_KINDS: readonly StoreKind[] = ['embedded PGlite', 'PostgreSQL server'];

export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Concurrent HTTP clients, and concurrent appenders for the storage ceiling. */
  clients: number;
  stores: StoreKind[];
  /** Seconds of measured load for each of: hello world, lifecycle, raw appends (after a warm-up). */
  loadSeconds: number;
  warmupSeconds: number;
  /** Events in the log the read models are rebuilt from. */
  rebuildEvents: number;
  /** Events on the one link an investigator replays as of a time. */
  linkEvents: number;
  /** Links on the one bank account whose history is read. */
  accountLinks: number;
  /** Repetitions of each investigator read. */
  investigatorReads: number;
  databaseUrl: string;
  /** The worker's TIMER_POLL_INTERVAL_MS; undefined leaves the service default. */
  pollIntervalMs: number | undefined;
  outFile: string;
  /** Only this phase (and what it needs), for working on it: `--only debits`, `--only lifecycle`, `--only rebuild`. */
  only?: 'debits' | 'lifecycle' | 'rebuild';
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const USAGE = `npm run bench -- [--quick] [--clients N] [--store pglite|postgres] [--events N] [--seconds S] [--poll-ms MS] [--out FILE] [--only debits|lifecycle|rebuild]
  --quick        smoke run, about 4 minutes (also BENCH_QUICK=1)
  --clients N    concurrent HTTP clients and appenders (default 8; BENCH_CLIENTS)
  --store S      only one store: pglite or postgres (default both)
  --events N     events the read models are rebuilt from (default 50,000 quick, 1,000,000 full)
  --seconds S    measured seconds of each load (default 6 quick, 20 full)
  --poll-ms MS   the worker's TIMER_POLL_INTERVAL_MS (default: the service's own, 1000)
  --out FILE     the JSON results (default bench/results/latest.json)
  --only P       only phase P, for working on it: debits (its own service and storage ceiling),
                 lifecycle (the lifecycle load and its storage ceiling) or rebuild (the read models' rebuilds and
                 the investigator reads)
  PostgreSQL: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test); the bench
  works in a throwaway schema it drops at the end.`;

function positiveInt(name: string, raw: string | undefined): number {
  if (raw === undefined || !/^\d[\d_]*$/.test(raw) || Number(raw.replaceAll('_', '')) < 1) {
    throw new BenchUsageError(`${name} needs a positive whole number, got ${raw ?? 'nothing'}`);
  }
  return Number(raw.replaceAll('_', ''));
}

const KNOWN_FLAGS = ['quick', 'help', 'clients', 'store', 'events', 'seconds', 'poll-ms', 'out', 'only'];

export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) throw new BenchUsageError(`Unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!KNOWN_FLAGS.includes(name)) throw new BenchUsageError(`Unknown option --${name}`);
    if (name === 'quick' || name === 'help') {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new BenchUsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  if (flags.has('help')) throw new BenchUsageError('');

  const quick = flags.has('quick') || ['1', 'true', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase());
  const text = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const store = text('store');
  const stores: StoreKind[] =
    store === undefined
      ? [...STORE_KINDS]
      : store === 'pglite'
        ? ['embedded PGlite']
        : store === 'postgres'
          ? ['PostgreSQL server']
          : (() => {
              throw new BenchUsageError(`--store is pglite or postgres, got ${store}`);
            })();
  const clientsRaw = text('clients') ?? env.BENCH_CLIENTS;
  const poll = text('poll-ms');
  const only = text('only');
  if (only !== undefined && only !== 'debits' && only !== 'lifecycle' && only !== 'rebuild') {
    throw new BenchUsageError(`--only is debits, lifecycle or rebuild, got ${only}`);
  }
  return {
    mode: quick ? 'quick' : 'full',
    clients: clientsRaw === undefined ? 8 : positiveInt('--clients', clientsRaw),
    stores,
    loadSeconds: text('seconds') === undefined ? (quick ? 6 : 20) : positiveInt('--seconds', text('seconds')),
    warmupSeconds: quick ? 2 : 4,
    rebuildEvents:
      text('events') === undefined ? (quick ? 50_000 : 1_000_000) : positiveInt('--events', text('events')),
    linkEvents: 1_000,
    accountLinks: 100,
    investigatorReads: quick ? 30 : 100,
    databaseUrl: env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    pollIntervalMs: poll === undefined ? undefined : positiveInt('--poll-ms', poll),
    outFile: text('out') ?? 'bench/results/latest.json',
    ...(only ? { only } : {}),
  };
}
