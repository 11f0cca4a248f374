import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { Checkpoint } from '../event-store.port';
import { ProjectionCheckpointConflict, storeProjectionCheckpoints } from './projection-checkpoints';

/** A runner holding a move of its checkpoint that no effect goes with (a batch its filter emptied). */
export interface HoldsCheckpointMove {
  /** Stores the move now (through the runner's own queue of stores). */
  storeHeldMove(): void;
}

interface Move {
  projection: string;
  from: Checkpoint | undefined;
  to: Checkpoint;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The checkpoint moves of every projection runner of one process on one database that carry no effect (batches
 * the filter emptied), stored together: at most once per interval for all of them (the first at once, the last
 * at the latest one interval later), in one statement that compare-and-sets each row, instead of a transaction
 * per runner per interval. A busy log moved eleven checkpoints ten times a second, a third of a lifecycle's
 * statements on the embedded store; it is now one statement ten times a second.
 *
 * A move is the runner's to make: the clock only asks each runner holding one to store it, and the runner
 * stores it through its own queue (never beside a batch of its own in flight) with `store`; moves asked for
 * in the same turn of the event loop go in one statement. A row that is not where its runner left it is that
 * runner's conflict alone (`ProjectionCheckpointConflict`), the others move.
 */
export class CheckpointMoves {
  private readonly holders = new Set<HoldsCheckpointMove>();
  private timer: NodeJS.Timeout | undefined;
  private lastTickAt = 0;
  private batch: Move[] = [];

  constructor(
    private readonly db: SqlExecutor,
    private readonly intervalMs: number,
  ) {}

  /** `holder` holds a move: it is asked to store it at the next tick (at once when none ran for an interval). */
  request(holder: HoldsCheckpointMove): void {
    this.holders.add(holder);
    if (this.timer) return;
    const wait = Math.max(this.intervalMs - (Date.now() - this.lastTickAt), 0);
    this.timer = setTimeout(() => this.tick(), wait);
    this.timer.unref();
  }

  /** `holder` stores its move itself (it is stopping) or has none left. */
  forget(holder: HoldsCheckpointMove): void {
    this.holders.delete(holder);
  }

  /** Compare-and-set of one checkpoint, written in one statement with every other asked for in this turn. */
  store(projection: string, from: Checkpoint | undefined, to: Checkpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ projection, from, to, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => void this.write());
    });
  }

  private tick(): void {
    this.timer = undefined;
    this.lastTickAt = Date.now();
    const holders = [...this.holders];
    this.holders.clear();
    for (const holder of holders) holder.storeHeldMove();
  }

  private async write(): Promise<void> {
    const moves = this.batch;
    this.batch = [];
    try {
      const moved = await storeProjectionCheckpoints(
        this.db,
        moves.map(({ projection, from, to }) => ({ projection, expected: from, next: to })),
      );
      for (const move of moves) {
        if (moved.has(move.projection)) move.resolve();
        else move.reject(new ProjectionCheckpointConflict(move.projection));
      }
    } catch (error) {
      for (const move of moves) move.reject(error);
    }
  }
}

const shared = new WeakMap<object, Map<number, CheckpointMoves>>();

/** The one writer of such moves for a database (by the client object) and an interval. */
export function checkpointMovesOf(db: SqlExecutor, intervalMs: number): CheckpointMoves {
  const byInterval = shared.get(db) ?? new Map<number, CheckpointMoves>();
  shared.set(db, byInterval);
  let moves = byInterval.get(intervalMs);
  if (!moves) {
    moves = new CheckpointMoves(db, intervalMs);
    byInterval.set(intervalMs, moves);
  }
  return moves;
}
