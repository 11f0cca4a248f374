import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { Fresh } from '@lib/account-linking/application/queries/freshness/fresh';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';

/** The checkpoint a read model answered from; on commands, the checkpoint of the write. */
export const CHECKPOINT_HEADER = 'x-checkpoint';
/** A client asks for an answer from a read model at least this far (a checkpoint this service gave it). */
export const MIN_CHECKPOINT_HEADER = 'x-min-checkpoint';

// Both stores write checkpoints as two 20-digit positions.
const CHECKPOINT = /^\d{20}:\d{20}$/;

/** `X-Min-Checkpoint` of the request, or a 400 `validation_failed` when it is not a checkpoint. */
export function minCheckpointOf(request: FastifyRequest): Checkpoint | undefined {
  const value = request.headers[MIN_CHECKPOINT_HEADER];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && CHECKPOINT.test(value)) return value;
  throw fieldValidationProblem([
    { field: 'X-Min-Checkpoint', message: 'X-Min-Checkpoint must be a checkpoint this service returned' },
  ]);
}

export function setCheckpoint(reply: FastifyReply, checkpoint: Checkpoint | undefined): void {
  if (checkpoint !== undefined) reply.header(CHECKPOINT_HEADER, checkpoint);
}

/** Sends a query's value, saying in `X-Checkpoint` how fresh it is. */
export function answerFresh<Value>(reply: FastifyReply, fresh: Fresh<Value>): Value {
  setCheckpoint(reply, fresh.checkpoint);
  return fresh.value;
}
