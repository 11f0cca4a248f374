import type { Instant } from '../time';

export interface ActorAttempt {
  linkId: string;
  accountToken: string;
  at: Instant;
  outcome: 'pending' | 'failed' | 'ended';
  failedAt?: Instant;
}

export interface ActorBlock {
  blockId: string;
  at: Instant;
  until: Instant;
  reason: string;
  liftedAt?: Instant;
  /** When its timer recorded that it ran out. */
  expiredAt?: Instant;
}

/** One actor's record: the accounts it tried, how each attempt went, and its blocks. */
export interface ActorDefenceState {
  attempts: readonly ActorAttempt[];
  blocks: readonly ActorBlock[];
  /** A lift gives the actor a fresh start: failures before it count no more. */
  countsFailuresAfter?: Instant;
}

export const initialActorDefenceState = (): ActorDefenceState => ({ attempts: [], blocks: [] });
