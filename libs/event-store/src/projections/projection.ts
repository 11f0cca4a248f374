import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { AllFilter, RecordedEvent } from '../event-store.port';

/** A read model fed from the global log. The runner calls `apply` inside the transaction that also moves the checkpoint. */
export interface Projection {
  readonly name: string;
  readonly filter?: AllFilter;
  /** Creates the read-model tables if they are missing. */
  setUp(db: SqlExecutor): Promise<void>;
  apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void>;
  /**
   * Effects that cannot share the checkpoint's transaction (commands appended to other streams), run before
   * the batch's checkpoint moves: a crash in between runs them again, so they must be idempotent.
   */
  react?(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * The kinds of durable work (WorkSignals) a batch of this projection may queue: once the batch has committed,
   * the loops polling those queues in this process are woken instead of waiting for their next poll.
   */
  readonly wakes?: readonly string[];
  /** Empties the read model so that a rebuild starts from zero. */
  reset(tx: SqlExecutor): Promise<void>;
}
