import ipaddr from 'ipaddr.js';
import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { ActorKeys } from '../../application/ports/actor-keys.port';
import type { ActorIdentity } from '../../domain/actor/actor';

/** The first four 16-bit groups of an IPv6 address: its /64 network, which one subscriber usually holds. */
const IPV6_NETWORK_GROUPS = 4;

export class KeyedHashActorKeys implements ActorKeys {
  constructor(private readonly hash: KeyedHash) {}

  streamKeyOf(actor: ActorIdentity): string {
    return this.hash.digest(`actor_${actor.kind}`, `${actor.paymentAppId}\u0000${actor.key}`);
  }

  addressKeyOf(ipAddress: string): string | undefined {
    if (!ipaddr.isValid(ipAddress)) return undefined;
    // IPv4-mapped IPv6 counts as the IPv4 address it carries.
    const address = ipaddr.process(ipAddress);
    const network =
      address.kind() === 'ipv4'
        ? address.toString()
        : `${(address as ipaddr.IPv6).parts
            .slice(0, IPV6_NETWORK_GROUPS)
            .map((part) => part.toString(16))
            .join(':')}::/64`;
    return `iph_${this.hash.digest('end_user_address', network)}`;
  }

  userAgentHashOf(userAgent: string): string {
    return `uah_${this.hash.digest('user_agent', userAgent)}`;
  }
}
