import { ProblemException } from '../problem/problem.exception';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

const KEY = /^[\x21-\x7E]{1,255}$/;
// The draft defines the header as a Structured Field String: `"..."` with `\"` and `\\` escapes.
const SF_STRING = /^"((?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\["\\])*)"$/;

/**
 * The `Idempotency-Key` of a request, `undefined` when it has none. Accepts the draft's quoted form and
 * a bare token alike (`"k-1"` and `k-1` are the same key); anything else is a 400 `invalid_idempotency_key`.
 */
export function idempotencyKeyFrom(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string') throw invalidIdempotencyKey();
  const quoted = SF_STRING.exec(header)?.[1];
  const key = quoted === undefined ? header : quoted.replace(/\\(["\\])/g, '$1');
  if (!KEY.test(key)) throw invalidIdempotencyKey();
  return key;
}

function invalidIdempotencyKey(): ProblemException {
  return new ProblemException({
    status: 400,
    code: 'invalid_idempotency_key',
    title: 'Invalid Idempotency-Key',
    detail: 'The Idempotency-Key header must be one key of 1 to 255 printable ASCII characters without spaces.',
  });
}
