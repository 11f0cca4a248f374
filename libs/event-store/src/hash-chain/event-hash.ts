import { createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The per-stream hash chain (API.md "Evidence, policy replay, erasure"):
 * `hash = hex(SHA-256(previousHash + "." + JCS({ type, data, metadata })))`, `metadata` without `hash`,
 * the first event's `previousHash` 64 zeros. JCS is RFC 8785, from the `canonicalize` library.
 */
export const GENESIS_HASH = '0'.repeat(64);

const HEX_64 = /^[0-9a-f]{64}$/;

export interface HashableEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** The metadata a caller gave, without the two fields only the store writes. */
export function withoutChainFields(metadata: Record<string, unknown>): Record<string, unknown> {
  const { previousHash: _previous, hash: _hash, ...rest } = metadata;
  return rest;
}

function jcs(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('An event has no canonical JSON form');
  return text;
}

/** The hash of a stored event, from its `type`, `data` and `metadata` (which carries its `previousHash`). */
export function eventHash(event: HashableEvent): string {
  const previousHash = event.metadata.previousHash;
  if (typeof previousHash !== 'string') throw new Error('An event without previousHash has no hash');
  const { hash: _hash, ...metadata } = event.metadata;
  return sha256Hex(`${previousHash}.${jcs({ type: event.type, data: event.data, metadata })}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The events with `previousHash` and `hash` set, chained after `previousHash` (for stores that hash in process). */
export function chainEvents<E extends HashableEvent>(previousHash: string, events: readonly E[]): E[] {
  let previous = previousHash;
  return events.map((event) => {
    const metadata: Record<string, unknown> = { ...withoutChainFields(event.metadata), previousHash: previous };
    const hash = eventHash({ type: event.type, data: event.data, metadata });
    previous = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

/**
 * The canonical text of an event whose `previousHash` is not known yet, cut where it goes: the store that holds
 * the stream's lock writes `prefix + previousHash + suffix` and hashes it. JCS orders members by name, never by
 * value, and a 64-digit hex string needs no escape, so substituting the value keeps the text canonical.
 */
export function canonicalTemplate(event: HashableEvent): { prefix: string; suffix: string } {
  for (;;) {
    const metadata = { ...withoutChainFields(event.metadata), previousHash: sentinel };
    const parts = jcs({ type: event.type, data: event.data, metadata }).split(sentinel);
    if (parts.length === 2) return { prefix: parts[0] as string, suffix: parts[1] as string };
    // The sentinel also occurs in the event (by a 2^-256 chance, or written there on purpose): draw another.
    sentinel = randomBytes(32).toString('hex');
  }
}

/** Random per process, so no event can be written to contain it; drawn again if one does. */
let sentinel = randomBytes(32).toString('hex');

export type ChainBreak =
  | { index: number; reason: 'previous_hash_mismatch'; expected: string; found: unknown }
  | { index: number; reason: 'hash_mismatch'; expected: string; found: unknown };

/** The first event of a stream (in revision order) that does not chain, or undefined when all do. */
export function firstChainBreak(events: readonly HashableEvent[]): ChainBreak | undefined {
  let previous = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const found = event.metadata.previousHash;
    if (found !== previous) return { index, reason: 'previous_hash_mismatch', expected: previous, found };
    const expected = eventHash(event);
    if (event.metadata.hash !== expected) {
      return { index, reason: 'hash_mismatch', expected, found: event.metadata.hash };
    }
    previous = expected;
  }
  return undefined;
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_64.test(value);
}
