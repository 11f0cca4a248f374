import { canonicalJson } from './canonical-json';
import { requestFingerprint } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts object members at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members as JSON.stringify does, and writes them as null in arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('escapes strings and member names as JSON', () => {
    expect(canonicalJson({ 'a"b': '山田\n' })).toBe('{"a\\"b":"山田\\n"}');
  });
});

describe('requestFingerprint', () => {
  const body = { customer: { reference: 'user-123' }, amount: 5 };

  it('is a SHA-256 hex digest that does not contain the body', () => {
    const fingerprint = requestFingerprint('POST', '/v1/links', body);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).not.toContain('user-123');
  });

  it('is the same for a body whose members come in another order', () => {
    expect(requestFingerprint('POST', '/v1/links', { amount: 5, customer: { reference: 'user-123' } })).toBe(
      requestFingerprint('POST', '/v1/links', body),
    );
  });

  it('differs with the method, the path, the query or any value of the body', () => {
    const base = requestFingerprint('POST', '/v1/links', body);
    expect(requestFingerprint('PUT', '/v1/links', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/links/lnk_1/revocation', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/links?x=1', body)).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/links', { ...body, amount: 6 })).not.toBe(base);
  });

  it('tells an absent body from an empty one and raw bytes from JSON', () => {
    const fingerprints = new Set([
      requestFingerprint('POST', '/p', undefined),
      requestFingerprint('POST', '/p', {}),
      requestFingerprint('POST', '/p', Buffer.from('{}')),
      requestFingerprint('POST', '/p', null),
    ]);
    expect(fingerprints.size).toBe(4);
  });
});
