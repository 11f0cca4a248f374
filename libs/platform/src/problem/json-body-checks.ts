import type { ProblemFieldError } from './problem';

export const MAX_JSON_BODY_DEPTH = 32;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUL = String.fromCharCode(0);
const UNSTORABLE = 'must not contain NUL characters or unpaired surrogates';

const isStorable = (text: string): boolean => !text.includes(NUL) && !UNPAIRED_SURROGATE.test(text);

/**
 * What is wrong with a parsed JSON body before any schema looks at it, as field errors:
 * - text (or a key) no store of the service can hold: U+0000, which PostgreSQL `text` and `jsonb` refuse,
 *   and unpaired UTF-16 surrogates, which are not Unicode (I-JSON, RFC 7493 §2.1, forbids them); such a
 *   body would otherwise fail half-way through the writes it causes;
 * - nesting deeper than `maxDepth`: the recursive walks of validation would overflow the stack (a 500).
 * Walks without recursion and stops at `limit` errors.
 */
export function jsonBodyFieldErrors(value: unknown, maxDepth = MAX_JSON_BODY_DEPTH, limit = 50): ProblemFieldError[] {
  const found: ProblemFieldError[] = [];
  const pending: [unknown, string, number][] = [[value, '', 0]];
  while (pending.length > 0 && found.length < limit) {
    const [current, path, depth] = pending.pop() as [unknown, string, number];
    if (typeof current === 'string') {
      if (!isStorable(current)) found.push({ field: path || 'body', message: UNSTORABLE });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) {
      found.push({ field: path || 'body', message: `must not nest objects and arrays deeper than ${maxDepth} levels` });
      break;
    }
    for (const [key, child] of Object.entries(current)) {
      if (isStorable(key)) pending.push([child, path ? `${path}.${key}` : key, depth + 1]);
      else found.push({ field: path || 'body', message: `keys ${UNSTORABLE}` });
    }
  }
  return found.slice(0, limit);
}
