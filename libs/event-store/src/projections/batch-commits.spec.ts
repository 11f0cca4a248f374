import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { BatchCommits, type BatchToCommit } from './batch-commits';
import { ProjectionCheckpointConflict, projectionCheckpointsSchema } from './projection-checkpoints';

describe.each(SQL_BACKENDS)('batch commits on $name', (backend) => {
  let db: IsolatedSqlClient;

  beforeAll(async () => {
    db = await backend.open();
    await db.sql.query(projectionCheckpointsSchema);
    await db.sql.query('CREATE TABLE applied (projection text NOT NULL, txid text NOT NULL)');
  });
  afterAll(() => db.dispose());
  beforeEach(async () => {
    await db.sql.query('DELETE FROM applied');
    await db.sql.query('DELETE FROM es_projection_checkpoints');
    for (const projection of ['a', 'b', 'c']) {
      await db.sql.query('INSERT INTO es_projection_checkpoints (projection, checkpoint) VALUES ($1, $2)', [
        projection,
        '0001',
      ]);
    }
  });

  /** A batch that writes a row in its transaction (with the transaction's id), then perhaps fails. */
  const batch = (projection: string, options: { from?: string; fail?: Error } = {}): BatchToCommit => ({
    projection,
    from: options.from ?? '0001',
    to: '0009',
    async apply(tx: SqlExecutor) {
      await tx.query('INSERT INTO applied VALUES ($1, txid_current()::text)', [projection]);
      if (options.fail) throw options.fail;
    },
  });
  const applied = () =>
    db.sql.query<{ projection: string; txid: string }>('SELECT projection, txid FROM applied ORDER BY projection');
  const checkpoints = async () =>
    Object.fromEntries(
      (
        await db.sql.query<{ projection: string; checkpoint: string }>(
          'SELECT projection, checkpoint FROM es_projection_checkpoints ORDER BY projection',
        )
      ).map((row) => [row.projection, row.checkpoint]),
    );

  it('commits the batches asked for together in one transaction, each with its checkpoint', async () => {
    const commits = new BatchCommits(db.sql);
    await Promise.all([commits.commit(batch('a')), commits.commit(batch('b')), commits.commit(batch('c'))]);
    const rows = await applied();
    expect(rows.map((row) => row.projection)).toEqual(['a', 'b', 'c']);
    expect(new Set(rows.map((row) => row.txid)).size).toBe(1);
    expect(await checkpoints()).toEqual({ a: '0009', b: '0009', c: '0009' });
  });

  it('fails only the batch that failed: the others commit, its effects and checkpoint do not', async () => {
    const commits = new BatchCommits(db.sql);
    const poison = new Error('poisoned batch');
    const results = await Promise.allSettled([
      commits.commit(batch('a')),
      commits.commit(batch('b', { fail: poison })),
      commits.commit(batch('c')),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: undefined },
      { status: 'rejected', reason: poison },
      { status: 'fulfilled', value: undefined },
    ]);
    expect((await applied()).map((row) => row.projection)).toEqual(['a', 'c']);
    expect(await checkpoints()).toEqual({ a: '0009', b: '0001', c: '0009' });
  });

  it('fails only the batch whose checkpoint moved under its runner', async () => {
    const commits = new BatchCommits(db.sql);
    const results = await Promise.allSettled([
      commits.commit(batch('a')),
      commits.commit(batch('b', { from: '0000' })),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: undefined });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(ProjectionCheckpointConflict) });
    expect((await applied()).map((row) => row.projection)).toEqual(['a']);
    expect(await checkpoints()).toEqual({ a: '0009', b: '0001', c: '0001' });
  });

  it('gathers the batches asked for while a group commits into the next group', async () => {
    const commits = new BatchCommits(db.sql);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: BatchToCommit = {
      ...batch('a'),
      apply: async (tx) => {
        await batch('a').apply(tx);
        await held;
      },
    };
    const first = commits.commit(slow);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = [commits.commit(batch('b')), commits.commit(batch('c'))];
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all([first, ...later]);
    const rows = await applied();
    const txOf = (projection: string) => rows.find((row) => row.projection === projection)?.txid;
    expect(txOf('b')).toBe(txOf('c'));
    expect(txOf('a')).not.toBe(txOf('b'));
  });
});
