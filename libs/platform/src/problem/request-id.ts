import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

// Echoed into a response header and into logs: anything else is replaced, not trusted.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a sane token, otherwise a fresh UUID. */
export function requestIdFrom(header: string | readonly string[] | undefined): string {
  const value = typeof header === 'string' ? header : header?.[0];
  return typeof value === 'string' && ACCEPTABLE_REQUEST_ID.test(value) ? value : randomUUID();
}
