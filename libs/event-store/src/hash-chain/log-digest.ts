import canonicalize from 'canonicalize';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { Checkpoint } from '../event-store.port';
import { eventHash, GENESIS_HASH, sha256Hex } from './event-hash';

/**
 * The periodic digest of the whole log (issue 17): one accumulator over every event's hash, in the order the
 * store reads its global log, recorded now and then on `log-digests` and signed by the service.
 *
 * `acc = hex(SHA-256(previous acc + "." + event.metadata.hash))`, from 64 zeros, over every event of the log in
 * read-all order (PostgreSQL: `ORDER BY transaction_id, global_position`) except the digests' own stream: each
 * digest is signed and chained on its stream already, and covering them would give an idle log a new digest at
 * every interval (one that covers only the digest before it). An event written before the hash chain (no `hash`)
 * counts as the empty string.
 */
export const LOG_DIGEST_STREAM = 'log-digests';
export const LOG_DIGEST_RECORDED = 'LogDigestRecorded';
export const LOG_DIGEST_JWS_TYPE = 'kouza-link-log-digest+jws';
export const LOG_DIGEST_GENESIS = GENESIS_HASH;

export const LOG_DIGEST_ID_PATTERN = /^ldg_[1-9][0-9]{0,14}$/;

export const logDigestId = (sequence: number): string => `ldg_${sequence}`;

/** The sequence number an id names (`ldg_7` → 7), or undefined when it is not a digest id. */
export function sequenceOfLogDigestId(id: string): number | undefined {
  return LOG_DIGEST_ID_PATTERN.test(id) ? Number(id.slice('ldg_'.length)) : undefined;
}

/** One step of the accumulator. */
export function foldLogDigest(accumulator: string, hash: string | undefined): string {
  return sha256Hex(`${accumulator}.${hash ?? ''}`);
}

/** What the accumulator needs of an event of the log. */
export interface LogEntry {
  streamName: string;
  globalPosition: number;
  checkpoint: Checkpoint;
  metadata: { hash?: unknown };
}

export const isCoveredByLogDigests = (event: Pick<LogEntry, 'streamName'>): boolean =>
  event.streamName !== LOG_DIGEST_STREAM;

const hashOf = (event: LogEntry): string | undefined =>
  typeof event.metadata.hash === 'string' ? event.metadata.hash : undefined;

/** Where an accumulator stands: after `eventCount` covered events, the last at `upToCheckpoint`. */
export interface LogDigestPoint {
  digest: string;
  eventCount: number;
  upToCheckpoint: Checkpoint | undefined;
  upToPosition: number | undefined;
}

export const LOG_START: LogDigestPoint = {
  digest: LOG_DIGEST_GENESIS,
  eventCount: 0,
  upToCheckpoint: undefined,
  upToPosition: undefined,
};

/** The accumulator, in memory: resumes from any point (a recorded digest) and folds the events after it in order. */
export class LogDigestAccumulator {
  private point: LogDigestPoint;

  constructor(from: LogDigestPoint = LOG_START) {
    this.point = { ...from };
  }

  get current(): LogDigestPoint {
    return { ...this.point };
  }

  /** Folds one event of the log, in order; false (and no change) for an event the digests do not cover. */
  add(event: LogEntry): boolean {
    if (!isCoveredByLogDigests(event)) return false;
    this.point = {
      digest: foldLogDigest(this.point.digest, hashOf(event)),
      eventCount: this.point.eventCount + 1,
      upToCheckpoint: event.checkpoint,
      upToPosition: event.globalPosition,
    };
    return true;
  }
}

/** What a digest says, and what its signature covers (as RFC 8785 text). */
export interface LogDigestFields {
  id: string;
  sequence: number;
  digest: string;
  previousDigestId: string | null;
  /** Covered events since the start of the log. */
  eventCount: number;
  /** The checkpoint of the last covered event: the digest covers every event at or before it in log order. */
  upToCheckpoint: Checkpoint;
  /** The global position of the last covered event. */
  upToPosition: number;
  recordedAt: string;
}

export interface LogDigest extends LogDigestFields {
  /** Compact JWS (`typ` `kouza-link-log-digest+jws`) whose payload is the RFC 8785 text of the other fields. */
  signature: string;
}

export interface LogDigestRecorded {
  type: typeof LOG_DIGEST_RECORDED;
  data: LogDigest;
}

export function logDigestFieldsOf(digest: LogDigestFields): LogDigestFields {
  const {
    id,
    sequence,
    digest: value,
    previousDigestId,
    eventCount,
    upToCheckpoint,
    upToPosition,
    recordedAt,
  } = digest;
  return { id, sequence, digest: value, previousDigestId, eventCount, upToCheckpoint, upToPosition, recordedAt };
}

export type LogDigestSignatureCheck =
  | { status: 'valid'; keyId: string | undefined }
  /** Signed by a key the JWKS does not hold (e.g. one generated at an earlier start): the signature proves nothing. */
  | { status: 'unknown_key'; keyId: string | undefined }
  | { status: 'invalid'; detail: string };

/** Checks a digest's JWS against a JWKS and that it signs exactly this digest's fields. */
export async function checkLogDigestSignature(
  digest: LogDigest,
  jwks: JSONWebKeySet,
): Promise<LogDigestSignatureCheck> {
  let keyId: string | undefined;
  try {
    keyId = decodeProtectedHeader(digest.signature).kid;
  } catch {
    return { status: 'invalid', detail: 'the signature is not a compact JWS' };
  }
  if (!jwks.keys.some((key) => key.kid === keyId)) return { status: 'unknown_key', keyId };
  let payload: string;
  try {
    const verified = await compactVerify(digest.signature, createLocalJWKSet(jwks), {
      algorithms: ['EdDSA', 'ES256'],
    });
    if (verified.protectedHeader.typ !== LOG_DIGEST_JWS_TYPE) {
      return { status: 'invalid', detail: `the JWS typ is not ${LOG_DIGEST_JWS_TYPE}` };
    }
    payload = new TextDecoder().decode(verified.payload);
  } catch (error) {
    return {
      status: 'invalid',
      detail: `the signature does not verify: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (payload !== canonicalize(logDigestFieldsOf(digest))) {
    return { status: 'invalid', detail: 'the signature is the service’s but over other fields' };
  }
  return { status: 'valid', keyId };
}

export type LogDigestMismatchReason =
  | 'sequence_broken'
  | 'signature_invalid'
  | 'event_hash_mismatch'
  | 'digest_mismatch'
  | 'event_count_mismatch'
  | 'position_mismatch';

export interface LogDigestMismatch {
  digestId: string;
  sequence: number;
  reason: LogDigestMismatchReason;
  detail: string;
  /** The digest's range of the log: after the previous digest's checkpoint (null: from the start), up to its own. */
  afterCheckpoint: Checkpoint | null;
  upToCheckpoint: Checkpoint;
  recorded: { digest: string; eventCount: number; upToPosition: number };
  /** What the log gives now, where the accumulator was recomputed. */
  recomputed?: { digest: string; eventCount: number; upToPosition: number | null };
  /** The first event in the range whose stored hash its content no longer gives. */
  event?: { streamName: string; revision: number; id: string; type: string; globalPosition: number };
}

export interface LogVerification {
  verified: boolean;
  digestsChecked: number;
  /** Covered events folded (up to the last digest's checkpoint, or the first mismatch). */
  eventsChecked: number;
  /** Digests signed by a key the service no longer holds: their fields were checked, their signature could not be. */
  signaturesUnchecked: string[];
  firstMismatch?: LogDigestMismatch;
}

/** The hash an event's content gives, or undefined when it cannot have one (its previousHash is gone). */
function contentHashOf(event: VerifiableEvent): string | undefined {
  try {
    return eventHash(event);
  } catch {
    return undefined;
  }
}

interface VerifiableEvent extends LogEntry {
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Recomputes the accumulator from the log and holds it against every recorded digest, in order: the sequence and
 * the links between digests, each signature, each covered event's hash against its content (an UPDATE of `data`
 * that left `hash` alone), then the accumulator, count and position at each digest's checkpoint. Feed it the whole
 * log in read-all order (`add`) while `wantsMore`, then `finish`. Stops at the first digest that does not hold.
 */
export class LogDigestVerifier {
  private readonly accumulator = new LogDigestAccumulator();
  /** The next digest to hold the accumulator against; those before it held. */
  private next = 0;
  private alteredEvent: LogDigestMismatch['event'] | undefined;
  private mismatch: LogDigestMismatch | undefined;
  /** The first digest whose own fields are wrong (its place in the sequence, its signature), found before reading. */
  private readonly structural: { index: number; reason: LogDigestMismatchReason; detail: string } | undefined;

  constructor(
    private readonly digests: readonly LogDigest[],
    private readonly signatures: readonly LogDigestSignatureCheck[],
  ) {
    this.structural = this.firstStructuralProblem();
    this.settleStructural();
  }

  get wantsMore(): boolean {
    return this.mismatch === undefined && this.next < this.digests.length;
  }

  add(event: VerifiableEvent): void {
    while (this.wantsMore && event.checkpoint > (this.digests[this.next] as LogDigest).upToCheckpoint) this.settle();
    if (!this.wantsMore || !isCoveredByLogDigests(event)) return;
    const stored = event.metadata.hash;
    if (this.alteredEvent === undefined && typeof stored === 'string' && contentHashOf(event) !== stored) {
      const { streamName, revision, id, type, globalPosition } = event;
      this.alteredEvent = { streamName, revision, id, type, globalPosition };
    }
    this.accumulator.add(event);
  }

  /** After the log's last event: the digests still open are held against what the log gave. */
  finish(): LogVerification {
    while (this.wantsMore) this.settle();
    return {
      verified: this.mismatch === undefined,
      digestsChecked: this.next,
      eventsChecked: this.accumulator.current.eventCount,
      signaturesUnchecked: this.digests
        .slice(0, this.next)
        .filter((_, index) => this.signatures[index]?.status === 'unknown_key')
        .map((digest) => digest.id),
      ...(this.mismatch ? { firstMismatch: this.mismatch } : {}),
    };
  }

  private firstStructuralProblem(): LogDigestVerifier['structural'] {
    for (const [index, digest] of this.digests.entries()) {
      const sequence = index + 1;
      const previous = index === 0 ? null : logDigestId(index);
      if (digest.sequence !== sequence || digest.id !== logDigestId(sequence) || digest.previousDigestId !== previous) {
        return {
          index,
          reason: 'sequence_broken',
          detail: `expected ${logDigestId(sequence)} after ${previous ?? 'none'}`,
        };
      }
      const signature = this.signatures[index];
      if (signature?.status === 'invalid') return { index, reason: 'signature_invalid', detail: signature.detail };
    }
    return undefined;
  }

  /** A digest with a structural problem fails when its turn comes, once every digest before it held. */
  private settleStructural(): void {
    if (this.structural === undefined || this.structural.index !== this.next) return;
    const digest = this.digests[this.next] as LogDigest;
    this.mismatch = this.mismatchOf(digest, this.structural.reason, this.structural.detail);
  }

  /** Holds the accumulator against the next digest, at its checkpoint. */
  private settle(): void {
    const digest = this.digests[this.next] as LogDigest;
    const now = this.accumulator.current;
    const recomputed = { digest: now.digest, eventCount: now.eventCount, upToPosition: now.upToPosition ?? null };
    const failure: [LogDigestMismatchReason, string] | undefined = this.alteredEvent
      ? [
          'event_hash_mismatch',
          `${this.alteredEvent.streamName}@${this.alteredEvent.revision} no longer gives its stored hash`,
        ]
      : now.digest !== digest.digest
        ? ['digest_mismatch', 'the log gives another accumulator']
        : now.eventCount !== digest.eventCount
          ? ['event_count_mismatch', 'the log gives another number of events']
          : now.upToPosition !== digest.upToPosition
            ? ['position_mismatch', 'its last event is not at its upToPosition']
            : undefined;
    if (failure) {
      this.mismatch = {
        ...this.mismatchOf(digest, ...failure),
        recomputed,
        ...(this.alteredEvent ? { event: this.alteredEvent } : {}),
      };
      return;
    }
    this.next += 1;
    this.settleStructural();
  }

  private mismatchOf(digest: LogDigest, reason: LogDigestMismatchReason, detail: string): LogDigestMismatch {
    const before = this.next === 0 ? undefined : this.digests[this.next - 1];
    return {
      digestId: digest.id,
      sequence: digest.sequence,
      reason,
      detail: `${digest.id}: ${detail}`,
      afterCheckpoint: before?.upToCheckpoint ?? null,
      upToCheckpoint: digest.upToCheckpoint,
      recorded: { digest: digest.digest, eventCount: digest.eventCount, upToPosition: digest.upToPosition },
    };
  }
}
