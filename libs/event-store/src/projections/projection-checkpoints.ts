import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint } from '../event-store.port';

export const projectionCheckpointsSchema = /* sql */ `
CREATE TABLE IF NOT EXISTS es_projection_checkpoints (
  projection text PRIMARY KEY,
  checkpoint text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;

/** Somebody else moved the checkpoint since this runner read it: its batch must not count. */
export class ProjectionCheckpointConflict extends Error {
  override readonly name = 'ProjectionCheckpointConflict';

  constructor(projection: string) {
    super(`Checkpoint of projection ${projection} moved under this runner`);
  }
}

export async function readProjectionCheckpoint(db: SqlExecutor, projection: string): Promise<Checkpoint | undefined> {
  await db.query('INSERT INTO es_projection_checkpoints (projection) VALUES ($1) ON CONFLICT DO NOTHING', [projection]);
  const [row] = await db.query<{ checkpoint: string | null }>(
    'SELECT checkpoint FROM es_projection_checkpoints WHERE projection = $1',
    [projection],
  );
  return row?.checkpoint ?? undefined;
}

/** Compare-and-set: moves the checkpoint only from the value this runner last saw. */
export async function storeProjectionCheckpoint(
  tx: SqlExecutor,
  projection: string,
  expected: Checkpoint | undefined,
  next: Checkpoint | undefined,
): Promise<void> {
  const updated = await tx.query(
    `UPDATE es_projection_checkpoints SET checkpoint = $3, updated_at = now()
      WHERE projection = $1 AND checkpoint IS NOT DISTINCT FROM $2 RETURNING projection`,
    [projection, expected ?? null, next ?? null],
  );
  if (updated.length !== 1) throw new ProjectionCheckpointConflict(projection);
}

/** Compare-and-set of several projections' checkpoints in one statement; returns the projections that moved. */
export async function storeProjectionCheckpoints(
  db: SqlExecutor,
  moves: readonly { projection: string; expected: Checkpoint | undefined; next: Checkpoint }[],
): Promise<Set<string>> {
  const rows = await db.query<{ projection: string }>(
    `UPDATE es_projection_checkpoints AS c SET checkpoint = m.next, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS m(projection text, expected text, next text)
      WHERE c.projection = m.projection AND c.checkpoint IS NOT DISTINCT FROM m.expected
      RETURNING c.projection`,
    [JSON.stringify(moves.map((move) => ({ ...move, expected: move.expected ?? null })))],
  );
  return new Set(rows.map((row) => row.projection));
}
