import type { DomainEvent } from '../message';
import type { Instant } from '../time';
import type { ActorIdentity } from './actor';

/** An attempt this actor made on an account: a link request that got past the actor's defences. */
export type ActorAttemptRegistered = DomainEvent<
  'ActorAttemptRegistered',
  { actor: ActorIdentity; linkId: string; accountToken: string; at: Instant }
>;

/**
 * A request refused because this actor was blocked (the API answers `actor_blocked`). No longer recorded (see
 * `isRefused`): read for the logs that hold it.
 */
export type ActorAttemptRefused = DomainEvent<
  'ActorAttemptRefused',
  { linkId: string; accountToken: string; reason: 'blocked'; at: Instant; blockId: string }
>;

/** The account's bank authentication failed, or its KYC did not match. */
export type ActorAttemptFailed = DomainEvent<'ActorAttemptFailed', { linkId: string; at: Instant }>;

/** The attempt ended any other way (authenticated, rejected, expired, revoked, never started). */
export type ActorAttemptEnded = DomainEvent<'ActorAttemptEnded', { linkId: string; at: Instant }>;

export type ActorBlocked = DomainEvent<
  'ActorBlocked',
  {
    actor: ActorIdentity;
    blockId: string;
    at: Instant;
    until: Instant;
    /** `too_many_accounts_failed`, or the fraud rule that blocked it (`fraud_rule:<name>`). */
    reason: string;
    /** Distinct accounts that failed within the window when it was blocked. */
    accountsTried: number;
  }
>;

export type ActorBlockLifted = DomainEvent<'ActorBlockLifted', { blockId: string; at: Instant; reason: string }>;

/** The block ran out (its `until` passed), recorded by the block's durable timer. */
export type ActorBlockExpired = DomainEvent<'ActorBlockExpired', { blockId: string; at: Instant }>;

export type ActorDefenceEvent =
  | ActorAttemptRegistered
  | ActorAttemptRefused
  | ActorAttemptFailed
  | ActorAttemptEnded
  | ActorBlocked
  | ActorBlockLifted
  | ActorBlockExpired;
