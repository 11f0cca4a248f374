import { createHash, generateKeyPairSync } from 'node:crypto';
import { signWebhook } from './sign-webhook';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, verifyWebhook, type WebhookRequestHeaders } from './verify-webhook';
import type { WebhookVerificationKey } from './webhook-key';
import { generateEd25519WebhookKeyPair, generateWebhookSecret } from './webhook-key-generation';
import { ed25519PublicKeyFrom, hmacKeyFromSecret, InvalidWebhookKeyError } from './webhook-key-material';
import { webhookRejectedProblem } from './webhook-rejection.problem';

const now = new Date('2026-11-20T10:00:00Z');
const body = JSON.stringify({ type: 'authentication.succeeded', data: { linkId: 'lnk_1', name: '山田 太郎' } });
const hmacSecret = generateWebhookSecret();
const hmacKey: WebhookVerificationKey = { keyId: 'bank-hmac-1', kind: 'hmac', secret: hmacSecret };

function signedNow(overrides: { body?: string; timestamp?: Date | number; id?: string } = {}) {
  return signWebhook({
    id: overrides.id ?? 'msg_1',
    timestamp: overrides.timestamp ?? now,
    body: overrides.body ?? body,
    key: { kind: 'hmac', secret: hmacSecret },
  });
}

function verify(headers: WebhookRequestHeaders, keys: readonly WebhookVerificationKey[] = [hmacKey], rawBody = body) {
  return verifyWebhook({ headers, rawBody, keys, now });
}

describe('verifyWebhook', () => {
  it('matches the Standard Webhooks reference vector for v1 (HMAC-SHA256)', () => {
    const result = verifyWebhook({
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      rawBody: '{"test": 2432232314}',
      keys: [{ keyId: 'ref', kind: 'hmac', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
      now: new Date(1614265330 * 1000),
    });
    expect(result).toMatchObject({ ok: true, keyId: 'ref' });
  });

  it('accepts an HMAC-signed webhook and reports the key, body digest, id and timestamp', () => {
    expect(verify(signedNow())).toEqual({
      ok: true,
      keyId: 'bank-hmac-1',
      bodySha256: createHash('sha256').update(body).digest('hex'),
      webhookId: 'msg_1',
      timestamp: now,
    });
  });

  it('accepts an Ed25519 (v1a) signature with whpk_/whsk_ keys', () => {
    const pair = generateEd25519WebhookKeyPair();
    const headers = signWebhook({
      id: 'msg_2',
      timestamp: now,
      body,
      key: { kind: 'ed25519', privateKey: pair.privateKey },
    });
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]+=*$/);
    const result = verify(headers, [{ keyId: 'bank-ed-1', kind: 'ed25519', publicKey: pair.publicKey }]);
    expect(result).toMatchObject({ ok: true, keyId: 'bank-ed-1' });
  });

  it('accepts an Ed25519 signature with PEM keys', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const headers = signWebhook({ id: 'msg_3', timestamp: now, body, key: { kind: 'ed25519', privateKey } });
    expect(verify(headers, [{ keyId: 'pem', kind: 'ed25519', publicKey }])).toMatchObject({ ok: true, keyId: 'pem' });
  });

  it('accepts a raw base64 Ed25519 public key without the whpk_ prefix', () => {
    const pair = generateEd25519WebhookKeyPair();
    const headers = signWebhook({
      id: 'msg_4',
      timestamp: now,
      body,
      key: { kind: 'ed25519', privateKey: pair.privateKey },
    });
    const raw = pair.publicKey.slice('whpk_'.length);
    expect(verify(headers, [{ keyId: 'raw', kind: 'ed25519', publicKey: raw }])).toMatchObject({ ok: true });
  });

  describe('during a key rotation', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const keys: WebhookVerificationKey[] = [
      { keyId: 'old', kind: 'hmac', secret: oldSecret, notAfter: new Date('2026-12-01T00:00:00Z') },
      { keyId: 'new', kind: 'hmac', secret: newSecret, notBefore: new Date('2026-11-15T00:00:00Z') },
    ];

    it('verifies with either currently valid key and names the one that did', () => {
      const byOld = signWebhook({ id: 'a', timestamp: now, body, key: { kind: 'hmac', secret: oldSecret } });
      const byNew = signWebhook({ id: 'b', timestamp: now, body, key: { kind: 'hmac', secret: newSecret } });
      expect(verify(byOld, keys)).toMatchObject({ ok: true, keyId: 'old' });
      expect(verify(byNew, keys)).toMatchObject({ ok: true, keyId: 'new' });
    });

    it('verifies a header carrying signatures by both keys', () => {
      const both = signWebhook({
        id: 'c',
        timestamp: now,
        body,
        key: [
          { kind: 'hmac', secret: generateWebhookSecret() },
          { kind: 'hmac', secret: newSecret },
        ],
      });
      expect(both['webhook-signature'].split(' ')).toHaveLength(2);
      expect(verify(both, keys)).toMatchObject({ ok: true, keyId: 'new' });
    });

    it('no longer accepts the old key after its notAfter', () => {
      const later = new Date('2026-12-01T00:00:00Z');
      const byOld = signWebhook({ id: 'd', timestamp: later, body, key: { kind: 'hmac', secret: oldSecret } });
      expect(verifyWebhook({ headers: byOld, rawBody: body, keys, now: later })).toEqual({
        ok: false,
        code: 'invalid_signature',
      });
    });
  });

  it('answers unknown_key when the sender has no currently valid key', () => {
    const notYet: WebhookVerificationKey = { ...hmacKey, notBefore: new Date(now.getTime() + 1000) };
    const expired: WebhookVerificationKey = { ...hmacKey, notAfter: now };
    expect(verify(signedNow(), [notYet, expired])).toEqual({ ok: false, code: 'unknown_key' });
    expect(verify(signedNow(), [])).toEqual({ ok: false, code: 'unknown_key' });
  });

  it('answers unknown_key when the webhook is signed only with a kind of key the sender does not have', () => {
    const pair = generateEd25519WebhookKeyPair();
    const headers = signWebhook({
      id: 'e',
      timestamp: now,
      body,
      key: { kind: 'ed25519', privateKey: pair.privateKey },
    });
    expect(verify(headers, [hmacKey])).toEqual({ ok: false, code: 'unknown_key' });
  });

  it('rejects a changed body, id or timestamp as invalid_signature', () => {
    const headers = signedNow();
    expect(verify(headers, [hmacKey], body.replace('lnk_1', 'lnk_2'))).toEqual({
      ok: false,
      code: 'invalid_signature',
    });
    expect(verify({ ...headers, 'webhook-id': 'msg_2' })).toEqual({ ok: false, code: 'invalid_signature' });
    const shifted = String(Number(headers['webhook-timestamp']) + 1);
    expect(verify({ ...headers, 'webhook-timestamp': shifted })).toEqual({ ok: false, code: 'invalid_signature' });
  });

  it('rejects a signature by a secret the sender does not hold as invalid_signature', () => {
    const forged = signWebhook({
      id: 'f',
      timestamp: now,
      body,
      key: { kind: 'hmac', secret: generateWebhookSecret() },
    });
    expect(verify(forged)).toEqual({ ok: false, code: 'invalid_signature' });
  });

  it('rejects an Ed25519 signature by another key pair as invalid_signature', () => {
    const sender = generateEd25519WebhookKeyPair();
    const forger = generateEd25519WebhookKeyPair();
    const headers = signWebhook({
      id: 'g',
      timestamp: now,
      body,
      key: { kind: 'ed25519', privateKey: forger.privateKey },
    });
    expect(verify(headers, [{ keyId: 'k', kind: 'ed25519', publicKey: sender.publicKey }])).toEqual({
      ok: false,
      code: 'invalid_signature',
    });
  });

  it('rejects signatures that are truncated, not base64 or of an unknown version as invalid_signature', () => {
    const valid = signedNow()['webhook-signature'];
    const truncated = valid.slice(0, -8);
    for (const signature of [truncated, 'v1,not*base64', `v2,${valid.slice(3)}`, 'v1', ',', 'garbage']) {
      expect(verify({ ...signedNow(), 'webhook-signature': signature })).toEqual({
        ok: false,
        code: 'invalid_signature',
      });
    }
  });

  it('skips entries it cannot use and verifies with the one it can', () => {
    const headers = signedNow();
    const signature = `v2,AAAA v1,bm90IGEgc2lnbmF0dXJl  ${headers['webhook-signature']}`;
    expect(verify({ ...headers, 'webhook-signature': signature })).toMatchObject({ ok: true });
  });

  it(`accepts timestamps up to ${DEFAULT_WEBHOOK_TOLERANCE_SECONDS} s away either way, and rejects beyond as stale_timestamp`, () => {
    const seconds = now.getTime() / 1000;
    expect(verify(signedNow({ timestamp: seconds - 300 }))).toMatchObject({ ok: true });
    expect(verify(signedNow({ timestamp: seconds + 300 }))).toMatchObject({ ok: true });
    expect(verify(signedNow({ timestamp: seconds - 301 }))).toEqual({ ok: false, code: 'stale_timestamp' });
    expect(verify(signedNow({ timestamp: seconds + 301 }))).toEqual({ ok: false, code: 'stale_timestamp' });
  });

  it('takes a configured tolerance', () => {
    const headers = signedNow({ timestamp: now.getTime() / 1000 - 61 });
    expect(verifyWebhook({ headers, rawBody: body, keys: [hmacKey], now, toleranceSeconds: 60 })).toEqual({
      ok: false,
      code: 'stale_timestamp',
    });
  });

  it('answers missing_signature_headers when a header is absent or unreadable', () => {
    const headers = signedNow();
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _removed, ...rest } = headers;
      expect(verify(rest)).toEqual({ ok: false, code: 'missing_signature_headers' });
    }
    expect(verify({ ...headers, 'webhook-timestamp': '1.7e9' })).toEqual({
      ok: false,
      code: 'missing_signature_headers',
    });
    expect(verify({ ...headers, 'webhook-id': 'has space' })).toEqual({ ok: false, code: 'missing_signature_headers' });
  });

  it('reads headers whatever their case', () => {
    const headers = signedNow();
    const shouted = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'Webhook-Signature': headers['webhook-signature'],
    };
    expect(verify(shouted)).toMatchObject({ ok: true });
  });

  it('verifies the raw bytes, so the same JSON re-serialised does not verify', () => {
    const raw = Buffer.from('{"type":"x",  "data":{}}');
    const headers = signWebhook({ id: 'h', timestamp: now, body: raw, key: { kind: 'hmac', secret: hmacSecret } });
    expect(verifyWebhook({ headers, rawBody: raw, keys: [hmacKey], now })).toMatchObject({ ok: true });
    expect(verify(headers, [hmacKey], JSON.stringify(JSON.parse(raw.toString())))).toEqual({
      ok: false,
      code: 'invalid_signature',
    });
  });
});

describe('webhook key material', () => {
  it('takes the HMAC key from the base64 after whsec_', () => {
    expect(hmacKeyFromSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
  });

  it('refuses secrets that are not base64 or too short', () => {
    expect(() => hmacKeyFromSecret('whsec_not base64!')).toThrow(InvalidWebhookKeyError);
    expect(() => hmacKeyFromSecret('whsec_c2hvcnQ=')).toThrow(InvalidWebhookKeyError);
  });

  it('refuses a public key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(() => ed25519PublicKeyFrom(publicKey)).toThrow(InvalidWebhookKeyError);
    expect(() => ed25519PublicKeyFrom('whpk_c2hvcnQ=')).toThrow(InvalidWebhookKeyError);
  });
});

describe('webhookRejectedProblem', () => {
  it('answers 401 with the rejection as the problem code', () => {
    const problem = webhookRejectedProblem('stale_timestamp');
    expect(problem.getStatus()).toBe(401);
    expect(problem.problem).toMatchObject({ status: 401, code: 'stale_timestamp' });
  });
});
