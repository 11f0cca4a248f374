import { ProblemException } from '../problem/problem.exception';

export function idempotencyKeyReused(): ProblemException {
  return new ProblemException({
    status: 422,
    code: 'idempotency_key_reused',
    title: 'Idempotency-Key reused',
    detail: 'This Idempotency-Key was already used for a different request.',
  });
}

export function idempotentRequestInProgress(): ProblemException {
  return new ProblemException({
    status: 409,
    code: 'idempotency_request_in_progress',
    title: 'Request in progress',
    detail: 'A request with this Idempotency-Key is still being processed; retry later.',
  });
}
