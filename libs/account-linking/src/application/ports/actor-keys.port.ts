import type { ActorIdentity } from '../../domain/actor/actor';

export const ACTOR_KEYS = Symbol('ACTOR_KEYS');

/** How the service names actors without keeping what identifies a person in plaintext. */
export interface ActorKeys {
  /** The stable key of an actor's stream: a keyed hash of who it is. */
  streamKeyOf(actor: ActorIdentity): string;
  /**
   * The end user's address as an actor key: a keyed hash of the IPv4 address, or of the IPv6 /64 network
   * (one subscriber's prefix); undefined when it is not an IP address.
   */
  addressKeyOf(ipAddress: string): string | undefined;
  /** The user agent as it is kept: a keyed hash. */
  userAgentHashOf(userAgent: string): string;
}
