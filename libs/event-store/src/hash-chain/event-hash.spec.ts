import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { canonicalTemplate, chainEvents, firstChainBreak, GENESIS_HASH } from './event-hash';

const event = (data: unknown) => ({
  type: 'T',
  data,
  metadata: { actor: { type: 'system', id: 'x' }, hash: 'old' } as Record<string, unknown>,
});

describe('the hash chain in process', () => {
  it('chains as API.md says, recomputed here with the library and node:crypto', () => {
    const [first, second] = chainEvents(GENESIS_HASH, [event({ a: 1 }), event({ 日本: 'é', b: [1.5, null] })]);
    const { hash, ...metadata } = first?.metadata ?? {};
    const text = `${GENESIS_HASH}.${canonicalize({ type: 'T', data: { a: 1 }, metadata })}`;
    expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(second?.metadata.previousHash).toBe(hash);
    expect(firstChainBreak([first, second].filter((e) => e !== undefined))).toBeUndefined();
  });

  it('names the first event that does not chain', () => {
    const events = chainEvents(GENESIS_HASH, [event(1), event(2), event(3)]);
    const altered = events.map((e, i) => (i === 1 ? { ...e, data: 20 } : e));
    expect(firstChainBreak(altered)).toMatchObject({ index: 1, reason: 'hash_mismatch' });
  });

  it("cuts the canonical text where previousHash goes: with a hash written in, it is the event's JCS", () => {
    const { prefix, suffix } = canonicalTemplate(event({ z: 1, previousHash: 'in the data' }));
    expect(prefix.endsWith('"previousHash":"')).toBe(true);
    const previous = 'a'.repeat(64);
    expect(`${prefix}${previous}${suffix}`).toBe(
      canonicalize({
        type: 'T',
        data: { z: 1, previousHash: 'in the data' },
        metadata: { actor: { type: 'system', id: 'x' }, previousHash: previous },
      }),
    );
  });
});
