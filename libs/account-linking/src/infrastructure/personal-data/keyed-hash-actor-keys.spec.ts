import { randomBytes } from 'node:crypto';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { KeyedHashActorKeys } from './keyed-hash-actor-keys';

describe('actor keys', () => {
  const keys = new KeyedHashActorKeys(new KeyedHash(randomBytes(32).toString('base64')));

  it('groups IPv6 addresses by their /64 network, however they are spelled', () => {
    const one = keys.addressKeyOf('2001:db8:85a3:12::1');
    expect(keys.addressKeyOf('2001:0db8:85a3:0012:ffff:aaaa:bbbb:cccc')).toBe(one);
    expect(keys.addressKeyOf('2001:DB8:85A3:12::abcd')).toBe(one);
    expect(keys.addressKeyOf('2001:db8:85a3:13::1')).not.toBe(one);
  });

  it('keeps IPv4 addresses apart, and an IPv4-mapped IPv6 address is its IPv4 address', () => {
    expect(keys.addressKeyOf('203.0.113.7')).toBe(keys.addressKeyOf('::ffff:203.0.113.7'));
    expect(keys.addressKeyOf('203.0.113.7')).not.toBe(keys.addressKeyOf('203.0.113.8'));
  });

  it('gives no key for what is not an IP address, and never the address itself', () => {
    expect(keys.addressKeyOf('not-an-ip')).toBeUndefined();
    expect(keys.addressKeyOf('203.0.113.7')).toMatch(/^iph_[A-Za-z0-9_-]{43}$/);
  });

  it('names a device and a customer of the same app and key apart', () => {
    const device = keys.streamKeyOf({ kind: 'device', paymentAppId: 'app', key: 'x' });
    expect(keys.streamKeyOf({ kind: 'customer', paymentAppId: 'app', key: 'x' })).not.toBe(device);
    expect(keys.streamKeyOf({ kind: 'device', paymentAppId: 'other', key: 'x' })).not.toBe(device);
  });
});
