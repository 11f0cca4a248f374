import canonicalize from 'canonicalize';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { firstChainBreak, sha256Hex } from './event-hash';
import { checkLogDigestSignature, type LogDigest } from './log-digest';

/**
 * The evidence bundle (API.md "Evidence"): events as stored, the head hash of each stream, and the service's
 * JWS over a digest of all of it. Shared by the service that signs and the CLI that verifies, offline.
 */
export const EVIDENCE_JWS_TYPE = 'kouza-link-evidence+jws';

export interface EvidenceEvent {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
  personalData: 'sealed' | 'erased' | 'none';
  /** Where the event stands in the global log (absent from bundles exported before the log digest). */
  globalPosition?: number;
  checkpoint?: string;
}

export interface UnsignedEvidenceBundle {
  linkId: string;
  events: EvidenceEvent[];
  /** The `hash` of each stream's last event in the bundle. */
  streamHashes: Record<string, string>;
  exportedAt: string;
  /**
   * The latest signed digest of the whole log when it covers the bundle's last event (else null): the service
   * committed to these events as part of the log then. Absent from bundles exported before the log digest.
   */
  logDigest?: LogDigest | null;
}

export interface EvidenceBundle extends UnsignedEvidenceBundle {
  /** Compact JWS whose payload is `SignedEvidence`. */
  signature: string;
}

/** What the JWS says: the bundle's digest, and in the clear what a reader wants without recomputing it. */
export interface SignedEvidence {
  linkId: string;
  exportedAt: string;
  streamHashes: Record<string, string>;
  /** hex(SHA-256(JCS({ linkId, events, streamHashes, exportedAt, logDigest }))), `logDigest` only where the bundle has it */
  digest: string;
}

export function evidenceDigest(bundle: UnsignedEvidenceBundle): string {
  const { linkId, events, streamHashes, exportedAt, logDigest } = bundle;
  // A bundle from before the log digest has no such member: it hashes as it always did.
  const covered = logDigest === undefined ? {} : { logDigest };
  return sha256Hex(canonicalize({ linkId, events, streamHashes, exportedAt, ...covered }) ?? '');
}

export type EvidenceFailure =
  | {
      reason: 'chain_broken';
      event: Pick<EvidenceEvent, 'streamName' | 'revision' | 'id' | 'type'>;
      detail: string;
    }
  | {
      reason:
        | 'malformed'
        | 'stream_incomplete'
        | 'stream_hash_mismatch'
        | 'signature_invalid'
        | 'digest_mismatch'
        | 'log_digest_invalid';
      detail: string;
    };

/** The bundle's log digest: its id and whether its own signature verified with the JWKS given. */
export type BundleLogDigestCheck = { id: string; signature: 'valid' | 'unknown_key' } | null;

export type EvidenceVerification =
  | {
      ok: true;
      streams: number;
      events: number;
      keyId: string | undefined;
      /** Undefined for a bundle exported before the log digest. */
      logDigest?: BundleLogDigestCheck;
    }
  | { ok: false; failure: EvidenceFailure };

const fail = (failure: EvidenceFailure): EvidenceVerification => ({ ok: false, failure });

/**
 * Checks every stream's chain from its first event (naming the first event that does not chain), the head
 * hashes, then the signature against the JWKS and that it covers this very bundle.
 */
export async function verifyEvidenceBundle(bundle: unknown, jwks: JSONWebKeySet): Promise<EvidenceVerification> {
  if (!isBundle(bundle))
    return fail({
      reason: 'malformed',
      detail: 'not an evidence bundle (linkId, events, streamHashes, exportedAt, signature)',
    });
  const streams = new Map<string, EvidenceEvent[]>();
  for (const event of bundle.events) {
    const stream = streams.get(event.streamName) ?? [];
    stream.push(event);
    streams.set(event.streamName, stream);
  }
  for (const [streamName, events] of streams) {
    events.sort((a, b) => a.revision - b.revision);
    const gap = events.findIndex((event, index) => event.revision !== index);
    if (gap >= 0) {
      return fail({
        reason: 'stream_incomplete',
        detail: `${streamName} lacks revision ${gap}: a chain is checked from its first event`,
      });
    }
    const broken = firstChainBreak(events);
    if (broken) {
      const event = events[broken.index] as EvidenceEvent;
      const what =
        broken.reason === 'hash_mismatch'
          ? 'its content does not give its hash'
          : 'its previousHash is not the hash of the event before it';
      return fail({
        reason: 'chain_broken',
        event: { streamName, revision: event.revision, id: event.id, type: event.type },
        detail: `${streamName}@${event.revision} (${event.type}, ${event.id}): ${what}`,
      });
    }
    const head = events.at(-1)?.metadata.hash;
    if (bundle.streamHashes[streamName] !== head) {
      return fail({
        reason: 'stream_hash_mismatch',
        detail: `streamHashes.${streamName} is not the hash of its last event`,
      });
    }
  }
  const extra = Object.keys(bundle.streamHashes).filter((name) => !streams.has(name));
  if (extra.length > 0)
    return fail({
      reason: 'stream_hash_mismatch',
      detail: `streamHashes names streams without events: ${extra.join(', ')}`,
    });

  let signed: SignedEvidence;
  let keyId: string | undefined;
  try {
    const verified = await compactVerify(bundle.signature, createLocalJWKSet(jwks), { algorithms: ['EdDSA', 'ES256'] });
    if (verified.protectedHeader.typ !== EVIDENCE_JWS_TYPE) throw new Error(`typ is not ${EVIDENCE_JWS_TYPE}`);
    keyId = verified.protectedHeader.kid;
    signed = JSON.parse(new TextDecoder().decode(verified.payload)) as SignedEvidence;
  } catch (error) {
    return fail({
      reason: 'signature_invalid',
      detail: `the signature does not verify with the JWKS: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const digest = evidenceDigest(bundle);
  if (
    signed.digest !== digest ||
    signed.linkId !== bundle.linkId ||
    signed.exportedAt !== bundle.exportedAt ||
    canonicalize(signed.streamHashes) !== canonicalize(bundle.streamHashes)
  ) {
    return fail({
      reason: 'digest_mismatch',
      detail: 'the signature is the service’s but for another bundle: a field outside the chains was changed',
    });
  }
  const base = { ok: true as const, streams: streams.size, events: bundle.events.length, keyId };
  if (bundle.logDigest === undefined) return base;
  if (bundle.logDigest === null) return { ...base, logDigest: null };
  const logDigest = await checkBundleLogDigest(bundle.logDigest, bundle.events, jwks);
  return 'reason' in logDigest ? fail(logDigest) : { ...base, logDigest };
}

/**
 * A bundle's log digest must be the service's (a key of the JWKS that does not verify it fails; a key the JWKS no
 * longer holds is reported, the bundle's own signature vouching for it) and cover every event of the bundle.
 */
async function checkBundleLogDigest(
  logDigest: LogDigest,
  events: readonly EvidenceEvent[],
  jwks: JSONWebKeySet,
): Promise<NonNullable<BundleLogDigestCheck> | EvidenceFailure> {
  if (typeof logDigest !== 'object' || typeof logDigest.upToCheckpoint !== 'string') {
    return { reason: 'log_digest_invalid', detail: 'logDigest is not a log digest' };
  }
  const signature = await checkLogDigestSignature(logDigest, jwks);
  if (signature.status === 'invalid') {
    return { reason: 'log_digest_invalid', detail: `${logDigest.id}: ${signature.detail}` };
  }
  const uncovered = events.find(
    (event) => typeof event.checkpoint !== 'string' || event.checkpoint > logDigest.upToCheckpoint,
  );
  if (uncovered) {
    return {
      reason: 'log_digest_invalid',
      detail: `${logDigest.id} does not cover ${uncovered.streamName}@${uncovered.revision} (${uncovered.id})`,
    };
  }
  return { id: logDigest.id, signature: signature.status };
}

function isBundle(value: unknown): value is EvidenceBundle {
  if (value === null || typeof value !== 'object') return false;
  const bundle = value as Partial<EvidenceBundle>;
  return (
    typeof bundle.linkId === 'string' &&
    typeof bundle.exportedAt === 'string' &&
    typeof bundle.signature === 'string' &&
    bundle.streamHashes !== null &&
    typeof bundle.streamHashes === 'object' &&
    Array.isArray(bundle.events) &&
    bundle.events.every(
      (event) =>
        event !== null &&
        typeof event === 'object' &&
        typeof event.streamName === 'string' &&
        Number.isInteger(event.revision) &&
        typeof event.type === 'string' &&
        event.metadata !== null &&
        typeof event.metadata === 'object',
    )
  );
}
