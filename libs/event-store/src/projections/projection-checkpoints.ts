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
  if (updated.length !== 1) {
    throw new ProjectionCheckpointConflict(`Checkpoint of projection ${projection} moved under this runner`);
  }
}
