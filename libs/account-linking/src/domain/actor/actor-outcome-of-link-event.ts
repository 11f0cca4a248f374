import type { LinkEvent, LinkEventType } from '../link/link-events';

/** What a link's event means for the attempt its actors made: it failed (R8 counts it), or it is over. */
export type ActorAttemptOutcome = 'failed' | 'ended';

const OUTCOME_BY_TYPE = {
  BankAuthenticationFailed: 'failed',
  KycMismatched: 'failed',
  KycMatched: 'ended',
  LinkRejected: 'ended',
  LinkExpired: 'ended',
  LinkRevoked: 'ended',
  LinkRequestAbandoned: 'ended',
} as const satisfies Partial<Record<LinkEventType, ActorAttemptOutcome>>;

/** The link events that mean something to the link's actors: what the actor defences' catch-up reads. */
export const ACTOR_LINK_EVENT_TYPES = Object.keys(OUTCOME_BY_TYPE) as (keyof typeof OUTCOME_BY_TYPE)[];

export const actorOutcomeOfLinkEvent = (event: LinkEvent): ActorAttemptOutcome | undefined =>
  (OUTCOME_BY_TYPE as Partial<Record<LinkEventType, ActorAttemptOutcome>>)[event.type];
