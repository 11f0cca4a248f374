import type { DomainCommand } from '../message';
import type { Instant } from '../time';
import type { ActorDefenceSettings, ActorIdentity } from './actor';

interface WithSettings {
  now: Instant;
  settings: ActorDefenceSettings;
}

/** Sent before a link starts: the actor must not be blocked. */
export type RegisterActorAttempt = DomainCommand<
  'RegisterActorAttempt',
  WithSettings & { actor: ActorIdentity; linkId: string; accountToken: string; blockId: string }
>;

export type RecordActorAttemptFailed = DomainCommand<
  'RecordActorAttemptFailed',
  WithSettings & { actor: ActorIdentity; linkId: string; blockId: string }
>;

export type EndActorAttempt = DomainCommand<'EndActorAttempt', { linkId: string; now: Instant }>;

/** A fraud rule blocks the actor outright. */
export type BlockActor = DomainCommand<
  'BlockActor',
  { actor: ActorIdentity; blockId: string; now: Instant; blockMinutes: number; reason: string }
>;

export type LiftActorBlock = DomainCommand<'LiftActorBlock', { blockId: string; now: Instant; reason: string }>;

/** The block's timer: records that it ran out. */
export type ExpireActorBlock = DomainCommand<'ExpireActorBlock', { blockId: string; now: Instant }>;

export type ActorDefenceCommand =
  | RegisterActorAttempt
  | RecordActorAttemptFailed
  | EndActorAttempt
  | BlockActor
  | LiftActorBlock
  | ExpireActorBlock;
