import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * SHA-256 (hex) of what makes two requests "the same request" for an idempotency key: method, path with
 * query, and the parsed body in canonical form. The path is the one requested, not the route template, so
 * one key sent to `/v1/links/a/revocation` and then `/v1/links/b/revocation` is a reuse, not a replay.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n`, 'utf8')
    .update(bodyEncoding(body))
    .digest('hex');
}

function bodyEncoding(body: unknown): Buffer {
  if (body === undefined) return Buffer.from('none:', 'utf8');
  // A raw body (a content type parsed as bytes or text) is compared as it came.
  if (Buffer.isBuffer(body)) return Buffer.concat([Buffer.from('bytes:', 'utf8'), body]);
  if (typeof body === 'string') return Buffer.from(`text:${body}`, 'utf8');
  return Buffer.from(`json:${canonicalJson(body)}`, 'utf8');
}
