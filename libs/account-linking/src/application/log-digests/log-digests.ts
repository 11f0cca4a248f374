import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  type Checkpoint,
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@lib/event-store/event-store.port';
import {
  checkLogDigestSignature,
  LOG_DIGEST_JWS_TYPE,
  LOG_DIGEST_RECORDED,
  LOG_DIGEST_STREAM,
  LOG_START,
  type LogDigest,
  LogDigestAccumulator,
  type LogDigestFields,
  type LogDigestPoint,
  type LogDigestRecorded,
  LogDigestVerifier,
  type LogVerification,
  logDigestId,
  sequenceOfLogDigestId,
} from '@lib/event-store/hash-chain/log-digest';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { LinkingRefused } from '../linking-refused.error';
import { CLOCK, type Clock } from '../ports/clock.port';
import { EVIDENCE_SIGNER, type EvidenceSigner } from '../ports/evidence-signer.port';
import { InvalidCursorError, type Page, type PageRequest } from '../ports/link-read-model.port';

/** Pages of the global log that recording and verifying read at a time. */
const LOG_PAGE_SIZE = 1_000;
/** An operator's digest loses the race to another writer at most this often before the caller hears of it. */
const RECORD_ATTEMPTS = 5;

const digestOf = (event: RecordedEvent): LogDigest => event.data as LogDigest;

/** Where a recorded digest leaves the accumulator (the start of the log before the first). */
export function pointOf(digest: LogDigest | undefined): LogDigestPoint {
  return digest
    ? {
        digest: digest.digest,
        eventCount: digest.eventCount,
        upToCheckpoint: digest.upToCheckpoint,
        upToPosition: digest.upToPosition,
      }
    : LOG_START;
}

/**
 * The signed digests of the whole log on `log-digests` (README "Log digest"): digest n is the stream's revision
 * n - 1, appended with that expected revision, so two writers can never both record digest n. Read, recorded (by
 * the worker's process manager, or an operator now) and verified against the log here.
 */
@Injectable()
export class LogDigests {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(EVIDENCE_SIGNER) private readonly signer?: EvidenceSigner,
  ) {}

  /** False with an external token issuer: the service has no key of its own to sign digests with. */
  get canSign(): boolean {
    return this.signer !== undefined;
  }

  async latest(): Promise<LogDigest | undefined> {
    const event = await this.store.readLastEvent(LOG_DIGEST_STREAM);
    return event ? digestOf(event) : undefined;
  }

  /** One digest by its id (`ldg_{n}`, checked by the caller). */
  async get(id: string): Promise<LogDigest> {
    const sequence = sequenceOfLogDigestId(id);
    const [event] =
      sequence === undefined
        ? []
        : await this.store.readStream(LOG_DIGEST_STREAM, { fromRevision: sequence - 1, toRevision: sequence - 1 });
    if (!event) throw new LinkingRefused('log_digest_not_found', `No log digest ${id}`);
    return digestOf(event);
  }

  /** Newest first; `nextCursor` is the id of the page's oldest digest, the next page holds those before it. */
  async page(request: PageRequest): Promise<Page<LogDigest>> {
    let top: number;
    if (request.cursor !== undefined) {
      const sequence = sequenceOfLogDigestId(request.cursor);
      if (sequence === undefined) throw new InvalidCursorError();
      top = sequence - 1;
    } else {
      top = (await this.latest())?.sequence ?? 0;
    }
    if (top < 1) return { items: [], nextCursor: null };
    const from = Math.max(1, top - request.limit + 1);
    const events = await this.store.readStream(LOG_DIGEST_STREAM, { fromRevision: from - 1, toRevision: top - 1 });
    return { items: events.map(digestOf).reverse(), nextCursor: from > 1 ? logDigestId(from) : null };
  }

  /**
   * Signs and appends the digest after `last` (none: the first) at `point`. Throws WrongExpectedRevisionError when
   * another writer recorded that sequence number first; nothing is written then.
   */
  async record(last: LogDigest | undefined, point: LogDigestPoint, metadata: EventMetadata): Promise<LogDigest> {
    const signer = this.requireSigner();
    if (point.upToCheckpoint === undefined || point.upToPosition === undefined) {
      throw new Error('A log digest covers at least one event');
    }
    const sequence = (last?.sequence ?? 0) + 1;
    const fields: LogDigestFields = {
      id: logDigestId(sequence),
      sequence,
      digest: point.digest,
      previousDigestId: last?.id ?? null,
      eventCount: point.eventCount,
      upToCheckpoint: point.upToCheckpoint,
      upToPosition: point.upToPosition,
      recordedAt: this.clock.now().toISOString(),
    };
    const digest: LogDigest = { ...fields, signature: await signer.sign(fields, LOG_DIGEST_JWS_TYPE) };
    const event: LogDigestRecorded = { type: LOG_DIGEST_RECORDED, data: digest };
    await this.store.appendToStream(
      LOG_DIGEST_STREAM,
      [{ id: randomUUID(), ...event, metadata }],
      last === undefined ? 'no_stream' : last.sequence - 1,
    );
    return digest;
  }

  /**
   * An operator's digest, now: folds the log from the last digest to what is visible and records the next one.
   * Refused with `log_digest_up_to_date` when no covered event was written since the last.
   */
  async recordNow(metadata: EventMetadata): Promise<LogDigest> {
    this.requireSigner();
    for (let attempt = 1; ; attempt++) {
      const last = await this.latest();
      const accumulator = new LogDigestAccumulator(pointOf(last));
      let from: Checkpoint | undefined = last?.upToCheckpoint;
      for (;;) {
        const page = await this.store.readAll(from, LOG_PAGE_SIZE);
        for (const event of page.events) accumulator.add(event);
        from = page.checkpoint;
        if (page.isEnd) break;
      }
      const point = accumulator.current;
      if (point.eventCount === (last?.eventCount ?? 0)) {
        throw new LinkingRefused(
          'log_digest_up_to_date',
          last
            ? `No event was written since ${last.id} (${last.eventCount} events up to position ${last.upToPosition})`
            : 'The log has no event to digest yet',
          last ? { latestDigestId: last.id } : {},
        );
      }
      try {
        return await this.record(last, point, { ...metadata, occurredAt: this.clock.now().toISOString() });
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= RECORD_ATTEMPTS) throw error;
      }
    }
  }

  /** Recomputes the accumulator from the log and holds it against every recorded digest (LogDigestVerifier). */
  async verify(): Promise<LogVerification> {
    const digests = (await this.store.readStream(LOG_DIGEST_STREAM)).map(digestOf);
    const jwks = this.signer?.verificationKeys() ?? { keys: [] };
    const signatures = await Promise.all(digests.map((digest) => checkLogDigestSignature(digest, jwks)));
    const verifier = new LogDigestVerifier(digests, signatures);
    let from: Checkpoint | undefined;
    while (verifier.wantsMore) {
      const page = await this.store.readAll(from, LOG_PAGE_SIZE);
      for (const event of page.events) verifier.add(event);
      from = page.checkpoint;
      if (page.isEnd) break;
    }
    return verifier.finish();
  }

  private requireSigner(): EvidenceSigner {
    if (!this.signer) {
      throw new LinkingRefused(
        'evidence_signing_unavailable',
        'This service does not issue its own tokens, so it has no key in /.well-known/jwks.json to sign log digests with',
      );
    }
    return this.signer;
  }
}
