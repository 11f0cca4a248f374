import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('forgets the least recently used entry beyond its size', () => {
    const cache = new BoundedCache<string, number>(2, 1000);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets entries older than their time to live', () => {
    let now = 0;
    const cache = new BoundedCache<string, number>(10, 100, () => now);
    cache.set('short', 1);
    cache.set('forever', 2, Number.POSITIVE_INFINITY);
    now = 100;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('forever')).toBe(2);
  });

  it('keeps nothing when its size or time to live is zero', () => {
    const cache = new BoundedCache<string, number>(10, 0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
