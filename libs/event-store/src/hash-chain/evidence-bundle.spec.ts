import { generateKeyPairSync, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { CompactSign, exportJWK, type JSONWebKeySet } from 'jose';
import { chainEvents, sha256Hex } from './event-hash';
import { EVIDENCE_JWS_TYPE, type EvidenceEvent, verifyEvidenceBundle } from './evidence-bundle';
import { LOG_DIGEST_JWS_TYPE, type LogDigest, type LogDigestFields } from './log-digest';

const key = generateKeyPairSync('ed25519');
let jwks: JSONWebKeySet;
beforeAll(async () => {
  jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'EdDSA' }] };
});

const jws = (payload: string, typ: string, kid = 'k1') =>
  new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ })
    .sign(key.privateKey);

const checkpoint = (position: number) => `${String(position).padStart(20, '0')}:${String(position).padStart(20, '0')}`;

/** Three events of one link's stream, as the service exports them (with their positions, or without: older bundles). */
function events(withPositions: boolean): EvidenceEvent[] {
  return chainEvents('0'.repeat(64), [
    { type: 'LinkRequested', data: { n: 1 }, metadata: { occurredAt: '2026-12-01T00:00:00Z' } },
    { type: 'BankAuthenticationSucceeded', data: { n: 2 }, metadata: { occurredAt: '2026-12-01T00:01:00Z' } },
    { type: 'LinkActivated', data: { n: 3 }, metadata: { occurredAt: '2026-12-01T00:02:00Z' } },
  ]).map((event, revision) => ({
    ...event,
    streamName: 'link-lnk_1',
    revision,
    id: randomUUID(),
    recordedAt: '2026-12-01T00:00:00.000Z',
    personalData: 'none' as const,
    ...(withPositions ? { globalPosition: 10 + revision, checkpoint: checkpoint(10 + revision) } : {}),
  }));
}

async function aLogDigest(upToPosition: number, kid = 'k1'): Promise<LogDigest> {
  const fields: LogDigestFields = {
    id: 'ldg_2',
    sequence: 2,
    digest: 'ab'.repeat(32),
    previousDigestId: 'ldg_1',
    eventCount: 40,
    upToCheckpoint: checkpoint(upToPosition),
    upToPosition,
    recordedAt: '2026-12-01T00:05:00.000Z',
  };
  return { ...fields, signature: await jws(canonicalize(fields) as string, LOG_DIGEST_JWS_TYPE, kid) };
}

/** Signs a bundle as the service does: the JWS payload's digest is SHA-256 of the RFC 8785 text of the rest. */
async function signed(unsigned: Record<string, unknown>, serialise = (value: object) => canonicalize(value) as string) {
  const list = unsigned.events as EvidenceEvent[];
  const streamHashes = { 'link-lnk_1': list.at(-1)?.metadata.hash as string };
  const bundle = { linkId: 'lnk_1', events: list, streamHashes, exportedAt: '2026-12-01T01:00:00.000Z', ...unsigned };
  const payload = {
    linkId: 'lnk_1',
    exportedAt: bundle.exportedAt,
    streamHashes,
    digest: sha256Hex(canonicalize(bundle) as string),
  };
  return { ...bundle, signature: await jws(serialise(payload), EVIDENCE_JWS_TYPE) };
}

describe('verifying an evidence bundle and its log digest', () => {
  it('still verifies a bundle exported before the log digest (no logDigest, no positions, a JSON.stringify payload)', async () => {
    const bundle = await signed({ events: events(false) }, (value) => JSON.stringify(value));
    expect(await verifyEvidenceBundle(bundle, jwks)).toEqual({ ok: true, streams: 1, events: 3, keyId: 'k1' });
  });

  it('verifies a bundle whose log digest is the service’s and covers every event, or that has none yet', async () => {
    const covered = await signed({ events: events(true), logDigest: await aLogDigest(12) });
    expect(await verifyEvidenceBundle(covered, jwks)).toMatchObject({
      ok: true,
      logDigest: { id: 'ldg_2', signature: 'valid' },
    });
    const none = await signed({ events: events(true), logDigest: null });
    expect(await verifyEvidenceBundle(none, jwks)).toMatchObject({ ok: true, logDigest: null });
  });

  it('reports a log digest signed by a key the JWKS no longer holds, the bundle’s own signature vouching for it', async () => {
    const bundle = await signed({ events: events(true), logDigest: await aLogDigest(12, 'k0') });
    expect(await verifyEvidenceBundle(bundle, jwks)).toMatchObject({
      ok: true,
      logDigest: { id: 'ldg_2', signature: 'unknown_key' },
    });
  });

  it('fails a log digest whose fields its signature does not cover, or that does not cover the last event', async () => {
    const altered = { ...(await aLogDigest(12)), eventCount: 41 };
    const forged = await signed({ events: events(true), logDigest: altered });
    expect(await verifyEvidenceBundle(forged, jwks)).toMatchObject({
      ok: false,
      failure: { reason: 'log_digest_invalid' },
    });
    const short = await signed({ events: events(true), logDigest: await aLogDigest(11) });
    const result = await verifyEvidenceBundle(short, jwks);
    expect(result).toMatchObject({ ok: false, failure: { reason: 'log_digest_invalid' } });
    expect(!result.ok && result.failure.detail).toContain('does not cover link-lnk_1@2');
  });

  it('fails a bundle whose log digest was swapped or removed after signing', async () => {
    const bundle = await signed({ events: events(true), logDigest: await aLogDigest(12) });
    for (const tampered of [
      { ...bundle, logDigest: null },
      { ...bundle, logDigest: undefined },
    ]) {
      expect(await verifyEvidenceBundle(JSON.parse(JSON.stringify(tampered)), jwks)).toMatchObject({
        ok: false,
        failure: { reason: 'digest_mismatch' },
      });
    }
  });
});
