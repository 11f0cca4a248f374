import type { Checkpoint } from '@lib/event-store/event-store.port';

/** A query's answer and the checkpoint of the read model it was read from (`X-Checkpoint`). */
export interface Fresh<Value> {
  value: Value;
  checkpoint: Checkpoint | undefined;
}

/** How long a query waits for a read model to reach the position it needs before answering anyway. */
export const READ_MODEL_WAIT_MS = 5_000;
