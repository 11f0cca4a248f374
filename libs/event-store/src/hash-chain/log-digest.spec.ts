import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { CompactSign, exportJWK, type JSONWebKeySet } from 'jose';
import { chainEvents } from './event-hash';
import {
  checkLogDigestSignature,
  foldLogDigest,
  LOG_DIGEST_JWS_TYPE,
  LOG_DIGEST_STREAM,
  LOG_START,
  type LogDigest,
  LogDigestAccumulator,
  type LogDigestFields,
  type LogDigestSignatureCheck,
  LogDigestVerifier,
  logDigestId,
  sequenceOfLogDigestId,
} from './log-digest';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const checkpointOf = (position: number) =>
  `${String(position).padStart(20, '0')}:${String(position).padStart(20, '0')}`;

interface TestEvent {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  globalPosition: number;
  checkpoint: string;
}

/** A log of `count` events over a few streams, each chained as the store chains them. */
function aLog(count: number, streams = ['link-a', 'link-b', 'debit-c']): TestEvent[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return Array.from({ length: count }, (_, index) => {
    const streamName = streams[index % streams.length] as string;
    const head = heads.get(streamName);
    const [chained] = chainEvents(head?.hash ?? '0'.repeat(64), [
      {
        type: 'SomethingHappened',
        data: { n: index, text: '口座' },
        metadata: { occurredAt: '2026-12-01T00:00:00Z' } as Record<string, unknown>,
      },
    ]);
    const revision = (head?.revision ?? -1) + 1;
    heads.set(streamName, { revision, hash: chained?.metadata.hash as string });
    const position = index + 1;
    return {
      ...(chained as Omit<TestEvent, 'streamName' | 'revision' | 'id' | 'globalPosition' | 'checkpoint'>),
      streamName,
      revision,
      id: randomUUID(),
      globalPosition: position,
      checkpoint: checkpointOf(position),
    };
  });
}

/** The formula, by hand: acc = hex(SHA-256(acc + "." + hash)) from 64 zeros. */
const byHand = (events: readonly TestEvent[]) =>
  events.reduce((acc, event) => sha256(`${acc}.${(event.metadata.hash as string | undefined) ?? ''}`), '0'.repeat(64));

const key = generateKeyPairSync('ed25519');
let jwks: JSONWebKeySet;
beforeAll(async () => {
  jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'test-key', alg: 'EdDSA' }] };
});

const sign = (payload: string, kid = 'test-key', typ = LOG_DIGEST_JWS_TYPE) =>
  new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ })
    .sign(key.privateKey);

/** Digests the way the service records them, every `every` events, over `events`. */
async function digestsOver(events: readonly TestEvent[], every: number): Promise<LogDigest[]> {
  const digests: LogDigest[] = [];
  const accumulator = new LogDigestAccumulator();
  for (const event of events) {
    if (!accumulator.add(event)) continue;
    const point = accumulator.current;
    if (point.eventCount % every !== 0) continue;
    const sequence = digests.length + 1;
    const fields: LogDigestFields = {
      id: logDigestId(sequence),
      sequence,
      digest: point.digest,
      previousDigestId: sequence === 1 ? null : logDigestId(sequence - 1),
      eventCount: point.eventCount,
      upToCheckpoint: point.upToCheckpoint as string,
      upToPosition: point.upToPosition as number,
      recordedAt: '2026-12-01T00:00:00.000Z',
    };
    digests.push({ ...fields, signature: await sign(canonicalize(fields) as string) });
  }
  return digests;
}

async function verify(events: readonly TestEvent[], digests: readonly LogDigest[]) {
  const signatures: LogDigestSignatureCheck[] = await Promise.all(
    digests.map((digest) => checkLogDigestSignature(digest, jwks)),
  );
  const verifier = new LogDigestVerifier(digests, signatures);
  for (const event of events) {
    if (!verifier.wantsMore) break;
    verifier.add(event);
  }
  return verifier.finish();
}

describe('the log digest accumulator', () => {
  it('is SHA-256 of the previous value, a dot and the event hash, from 64 zeros, in log order', () => {
    const events = aLog(25);
    const accumulator = new LogDigestAccumulator();
    for (const event of events) accumulator.add(event);
    expect(accumulator.current).toEqual({
      digest: byHand(events),
      eventCount: 25,
      upToCheckpoint: events[24]?.checkpoint,
      upToPosition: 25,
    });
    expect(foldLogDigest('0'.repeat(64), 'ab')).toBe(sha256(`${'0'.repeat(64)}.ab`));
  });

  it('depends on the order of the events', () => {
    const events = aLog(4);
    const swapped = [events[1], events[0], events[2], events[3]] as TestEvent[];
    expect(byHand(swapped)).not.toBe(byHand(events));
    const accumulator = new LogDigestAccumulator();
    for (const event of swapped) accumulator.add(event);
    expect(accumulator.current.digest).toBe(byHand(swapped));
  });

  it('leaves out the digests’ own stream, and counts an event without a hash (before the chain) as ""', () => {
    const [first, second] = aLog(2);
    const digestEvent = { ...(first as TestEvent), streamName: LOG_DIGEST_STREAM, globalPosition: 3 };
    const legacy: TestEvent = {
      ...(second as TestEvent),
      metadata: { occurredAt: '2020-01-01T00:00:00Z' },
      globalPosition: 4,
    };
    const accumulator = new LogDigestAccumulator();
    expect(accumulator.add(first as TestEvent)).toBe(true);
    expect(accumulator.add(digestEvent)).toBe(false);
    expect(accumulator.add(legacy)).toBe(true);
    expect(accumulator.current).toMatchObject({
      digest: sha256(`${sha256(`${'0'.repeat(64)}.${first?.metadata.hash}`)}.`),
      eventCount: 2,
      upToPosition: 4,
    });
  });

  it('resumed from any point gives what it gives in one go (a restart from the last digest)', () => {
    const events = aLog(30);
    const whole = new LogDigestAccumulator();
    for (const event of events) whole.add(event);
    const first = new LogDigestAccumulator(LOG_START);
    for (const event of events.slice(0, 17)) first.add(event);
    const resumed = new LogDigestAccumulator(first.current);
    for (const event of events.slice(17)) resumed.add(event);
    expect(resumed.current).toEqual(whole.current);
  });

  it('names digests ldg_{n} and reads their number back, refusing anything else', () => {
    expect(logDigestId(12)).toBe('ldg_12');
    expect(sequenceOfLogDigestId('ldg_12')).toBe(12);
    for (const bad of ['ldg_0', 'ldg_01', 'ldg_', 'lnk_1', 'ldg_1x', 'ldg_-1', 'ldg_9999999999999999']) {
      expect(sequenceOfLogDigestId(bad)).toBeUndefined();
    }
  });
});

describe('a log digest signature', () => {
  it('verifies when it signs exactly the RFC 8785 text of the other fields', async () => {
    const [digest] = await digestsOver(aLog(3), 3);
    expect(await checkLogDigestSignature(digest as LogDigest, jwks)).toEqual({ status: 'valid', keyId: 'test-key' });
  });

  it('fails for a changed field, another typ, or a key of the JWKS that did not sign it; reports an unknown key', async () => {
    const [digest] = (await digestsOver(aLog(3), 3)) as [LogDigest];
    expect(await checkLogDigestSignature({ ...digest, eventCount: 4 }, jwks)).toMatchObject({ status: 'invalid' });
    const wrongTyp = await sign(canonicalize({ ...digest, signature: undefined }) as string, 'test-key', 'JWT');
    expect(await checkLogDigestSignature({ ...digest, signature: wrongTyp }, jwks)).toMatchObject({
      status: 'invalid',
    });
    const other = generateKeyPairSync('ed25519');
    const forged = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key', typ: LOG_DIGEST_JWS_TYPE })
      .sign(other.privateKey);
    expect(await checkLogDigestSignature({ ...digest, signature: forged }, jwks)).toMatchObject({
      status: 'invalid',
    });
    const unknown = await sign(canonicalize({ ...digest, signature: undefined }) as string, 'an-older-key');
    expect(await checkLogDigestSignature({ ...digest, signature: unknown }, jwks)).toEqual({
      status: 'unknown_key',
      keyId: 'an-older-key',
    });
    expect(await checkLogDigestSignature({ ...digest, signature: 'not a jws' }, jwks)).toMatchObject({
      status: 'invalid',
    });
  });
});

describe('verifying the log against its digests', () => {
  it('holds every digest of an untouched log, and stops reading at the last digest', async () => {
    const events = aLog(40);
    const digests = await digestsOver(events, 7);
    expect(digests).toHaveLength(5);
    expect(await verify(events, digests)).toEqual({
      verified: true,
      digestsChecked: 5,
      eventsChecked: 35,
      signaturesUnchecked: [],
    });
  });

  it('names the digest covering an event whose data was changed (its stored hash left alone), and the event', async () => {
    const events = aLog(40);
    const digests = await digestsOver(events, 7);
    const altered = events.map((event) => (event.globalPosition === 17 ? { ...event, data: { n: 999 } } : event));
    const result = await verify(altered, digests);
    expect(result).toMatchObject({
      verified: false,
      digestsChecked: 2,
      firstMismatch: {
        digestId: 'ldg_3',
        reason: 'event_hash_mismatch',
        afterCheckpoint: digests[1]?.upToCheckpoint,
        upToCheckpoint: digests[2]?.upToCheckpoint,
        event: { streamName: events[16]?.streamName, revision: events[16]?.revision, globalPosition: 17 },
      },
    });
  });

  it('names the digest covering an event whose stored hash was changed, or that was deleted', async () => {
    const events = aLog(40);
    const digests = await digestsOver(events, 7);
    const rehashed = events.map((event) =>
      event.globalPosition === 30 ? { ...event, metadata: { ...event.metadata, hash: 'f'.repeat(64) } } : event,
    );
    expect((await verify(rehashed, digests)).firstMismatch).toMatchObject({ digestId: 'ldg_5' });
    const deleted = events.filter((event) => event.globalPosition !== 3);
    expect((await verify(deleted, digests)).firstMismatch).toMatchObject({
      digestId: 'ldg_1',
      reason: 'digest_mismatch',
      recorded: { eventCount: 7 },
      recomputed: { eventCount: 6 },
    });
  });

  it('fails a digest whose signature does not hold or that breaks the sequence, once those before it held', async () => {
    const events = aLog(30);
    const digests = await digestsOver(events, 7);
    const resigned = digests.map((digest, index) => (index === 2 ? { ...digest, digest: '0'.repeat(64) } : digest));
    expect(await verify(events, resigned)).toMatchObject({
      verified: false,
      digestsChecked: 2,
      firstMismatch: { digestId: 'ldg_3', reason: 'signature_invalid' },
    });
    const skipped = [digests[0], digests[2]] as LogDigest[];
    expect((await verify(events, skipped)).firstMismatch).toMatchObject({
      digestId: 'ldg_3',
      reason: 'sequence_broken',
    });
  });

  it('checks the fields of a digest signed by a key it no longer has, and lists it', async () => {
    const events = aLog(14);
    const digests = await digestsOver(events, 7);
    const fields = { ...(digests[0] as LogDigest), signature: undefined };
    const older = [{ ...(digests[0] as LogDigest), signature: await sign(canonicalize(fields) as string, 'old') }];
    expect(await verify(events, [...older, digests[1] as LogDigest])).toEqual({
      verified: true,
      digestsChecked: 2,
      eventsChecked: 14,
      signaturesUnchecked: ['ldg_1'],
    });
  });
});
