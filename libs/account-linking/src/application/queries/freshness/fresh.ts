import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { WriteScope, WrittenCheckpoints } from './written-checkpoints';

/** A query's answer and the checkpoint of the read model it was read from (`X-Checkpoint`). */
export interface Fresh<Value> {
  value: Value;
  checkpoint: Checkpoint | undefined;
}

/** How long a query waits for a read model to reach the position it needs before answering anyway. */
export const READ_MODEL_WAIT_MS = 5_000;

/** A read model that can wait until it reflects a checkpoint (the read-model ports). */
export interface SettlingReadModel {
  settle(atLeast: Checkpoint | undefined, timeoutMs: number): Promise<Checkpoint | undefined>;
}

/**
 * The preamble of every query: wait (at most READ_MODEL_WAIT_MS) until the read model reflects the caller's
 * own writes made here and the checkpoint it asked for. `checkpoint` is what the read model reflects.
 */
export async function settleForReader(
  readModel: SettlingReadModel,
  writes: WrittenCheckpoints,
  scope: WriteScope,
  minCheckpoint?: Checkpoint,
): Promise<{ required: Checkpoint | undefined; checkpoint: Checkpoint | undefined }> {
  const required = writes.requiredBy(scope, minCheckpoint);
  return { required, checkpoint: await readModel.settle(required, READ_MODEL_WAIT_MS) };
}
