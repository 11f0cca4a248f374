import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint, EventStore } from '../event-store.port';

export interface ProjectionLag {
  projection: string;
  /** Where the projection stands (undefined: it has applied nothing yet). */
  checkpoint: Checkpoint | undefined;
  /** Events in the log after the checkpoint, counted up to `cap`. */
  eventsBehind: number;
  /** True when there are at least `eventsBehind` events behind, possibly more (the count stopped at the cap). */
  eventsBehindAtLeast: boolean;
  /** How long the oldest event the projection has not gone past has been waiting; 0 when caught up. */
  oldestPendingSeconds: number;
  /** Global position of the log's head, where the store can tell. */
  headPosition?: number;
}

export interface ProjectionLagOptions {
  /** Most events counted per projection (the count reads them). */
  cap?: number;
  now?: () => Date;
}

/**
 * The stored checkpoint of a projection, without registering it (unlike the runner's read); undefined
 * while it has none, or while no runner has created the checkpoint table yet.
 */
export async function storedProjectionCheckpoint(db: SqlExecutor, projection: string): Promise<Checkpoint | undefined> {
  const [table] = await db.query<{ name: string | null }>(
    `SELECT to_regclass('es_projection_checkpoints')::text AS name`,
  );
  if (!table?.name) return undefined;
  const rows = await db.query<{ checkpoint: string | null }>(
    'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = $1',
    [projection],
  );
  return rows[0]?.checkpoint ?? undefined;
}

/**
 * How far each projection is behind the head of the log (checkpoint vs head): the figures a lag metric
 * exports. Works on any store: it reads the log after each checkpoint, at most `cap` events.
 */
export async function measureProjectionLag(
  store: EventStore,
  db: SqlExecutor,
  projections: readonly string[],
  options: ProjectionLagOptions = {},
): Promise<ProjectionLag[]> {
  const cap = options.cap ?? 1_000;
  const now = (options.now ?? (() => new Date()))();
  const headPosition = await store.headPosition?.();
  const lags: ProjectionLag[] = [];
  for (const projection of projections) {
    const checkpoint = await storedProjectionCheckpoint(db, projection);
    const pending = await store.readAll(checkpoint, cap);
    const oldest = pending.events[0];
    lags.push({
      projection,
      checkpoint,
      eventsBehind: pending.events.length,
      eventsBehindAtLeast: !pending.isEnd,
      oldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000) : 0,
      ...(headPosition !== undefined ? { headPosition } : {}),
    });
  }
  return lags;
}
