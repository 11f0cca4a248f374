import type { SqlClient, SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint } from '../event-store.port';
import {
  ProjectionCheckpointConflict,
  storeProjectionCheckpoint,
  storeProjectionCheckpoints,
} from './projection-checkpoints';

/** A batch of one projection: its effects, and the move of its checkpoint that must commit with them. */
export interface BatchToCommit {
  projection: string;
  from: Checkpoint | undefined;
  to: Checkpoint;
  apply(tx: SqlExecutor): Promise<void>;
}

interface Waiting {
  batch: BatchToCommit;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A batch of the group failed or its checkpoint had moved: the group is rolled back and each batch goes alone. */
class GroupFailed extends Error {}

/**
 * The batches of every projection runner of one process on one database, committed together (a group commit): one
 * append wakes every runner whose filter wants it at once, and each used to open a transaction of its own to apply
 * its batch and move its checkpoint (BEGIN, its statements, UPDATE, COMMIT), about half of a lifecycle's statements
 * on the embedded store. Now the batches asked for while the previous group commits go in one transaction: each
 * batch's statements, then one compare-and-set of all their checkpoints, one COMMIT.
 *
 * Each runner still asks for one batch at a time, after its previous one committed, so its batches stay in order and
 * a batch commits with its own checkpoint move or not at all. When a batch of the group fails, or a checkpoint is not
 * where its runner left it, the whole group is rolled back and each batch is committed again on its own, in its own
 * transaction: only that runner fails (it restarts from its checkpoint, as it always did), the others commit. A batch
 * may so be applied twice, the first time rolled back: `apply` must keep its effects in the transaction (a
 * projection's `react` runs before, outside it).
 */
export class BatchCommits {
  private waiting: Waiting[] = [];
  private committing = false;

  constructor(private readonly sql: SqlClient) {}

  /** Resolves once the batch and its checkpoint move have committed; rejects with the batch's own failure. */
  commit(batch: BatchToCommit): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      // Batches asked for in the same turn of the event loop (one append's runners) start the group together.
      if (!this.committing && this.waiting.length === 1) setImmediate(() => void this.next());
    });
  }

  private async next(): Promise<void> {
    if (this.committing || this.waiting.length === 0) return;
    this.committing = true;
    const group = this.waiting;
    this.waiting = [];
    try {
      if (group.length === 1) await this.alone(group[0] as Waiting);
      else await this.together(group);
    } finally {
      this.committing = false;
      void this.next();
    }
  }

  private async together(group: readonly Waiting[]): Promise<void> {
    try {
      await this.sql.transaction(async (tx) => {
        for (const { batch } of group) await batch.apply(tx);
        const moved = await storeProjectionCheckpoints(
          tx,
          group.map(({ batch }) => ({ projection: batch.projection, expected: batch.from, next: batch.to })),
        );
        if (moved.size !== group.length) throw new GroupFailed();
      });
    } catch {
      for (const waiting of group) await this.alone(waiting);
      return;
    }
    for (const { resolve } of group) resolve();
  }

  private async alone({ batch, resolve, reject }: Waiting): Promise<void> {
    try {
      await this.sql.transaction(async (tx) => {
        await batch.apply(tx);
        await storeProjectionCheckpoint(tx, batch.projection, batch.from, batch.to);
      });
      resolve();
    } catch (error) {
      reject(error instanceof GroupFailed ? new ProjectionCheckpointConflict(batch.projection) : error);
    }
  }
}

const shared = new WeakMap<SqlClient, BatchCommits>();

/** The one group committer of projection batches for a database (by the client object). */
export function batchCommitsOf(sql: SqlClient): BatchCommits {
  let commits = shared.get(sql);
  if (!commits) {
    commits = new BatchCommits(sql);
    shared.set(sql, commits);
  }
  return commits;
}
