import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { addMinutes, epochMilliseconds, type Instant, isBefore } from '../time';
import type {
  ActorDefenceCommand,
  BlockActor,
  EndActorAttempt,
  ExpireActorBlock,
  LiftActorBlock,
  RecordActorAttemptFailed,
  RegisterActorAttempt,
} from './actor-defence.commands';
import type { ActorDefenceEvent } from './actor-defence.events';
import { type ActorBlock, type ActorDefenceState, initialActorDefenceState } from './actor-defence.state';

/** A link's attempt the actor does not count because a block was in force before it failed. */
export const isBlockedFor = (state: ActorDefenceState, linkId: string, now: Instant): boolean =>
  activeBlock(state, now) !== undefined &&
  state.attempts.find((attempt) => attempt.linkId === linkId)?.failedAt === undefined;

/**
 * The request for `linkId` is refused: a block is in force and the attempt was not registered before it. The
 * refusal is recorded on the link's stream (rejected `actor_blocked`), never on the actor's: an attacker
 * hammering a block must not grow the stream that every one of its requests reads.
 */
export const isRefused = (state: ActorDefenceState, linkId: string, now: Instant): boolean =>
  activeBlock(state, now) !== undefined && !state.attempts.some((attempt) => attempt.linkId === linkId);

/** The block in force at `now`, if any: not lifted, not run out. */
export const activeBlock = (state: ActorDefenceState, now: Instant): ActorBlock | undefined =>
  state.blocks.find((block) => block.liftedAt === undefined && isBefore(now, block.until));

const after = (now: Instant, minutes: number) => epochMilliseconds(addMinutes(now, -minutes));

/** Distinct accounts whose attempt failed within the window (the same account failing twice counts once). */
export const failedAccounts = (state: ActorDefenceState, now: Instant, windowMinutes: number): Set<string> => {
  const lifted = state.countsFailuresAfter === undefined ? 0 : epochMilliseconds(state.countsFailuresAfter);
  const since = Math.max(after(now, windowMinutes), lifted);
  return new Set(
    state.attempts
      .filter((attempt) => attempt.failedAt !== undefined && epochMilliseconds(attempt.failedAt) > since)
      .map((attempt) => attempt.accountToken),
  );
};

/** The block of an actor whose distinct failing accounts reached the threshold of its settings. */
const thresholdReached = (
  { actor, blockId, now, settings }: RegisterActorAttempt['data'] | RecordActorAttemptFailed['data'],
  failed: ReadonlySet<string>,
): ActorDefenceEvent => ({
  type: 'ActorBlocked',
  data: {
    actor,
    blockId,
    at: now,
    until: addMinutes(now, settings.blockMinutes),
    reason: 'too_many_accounts_failed',
    accountsTried: failed.size,
  },
});

const registerActorAttempt = (command: RegisterActorAttempt, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { actor, linkId, accountToken, now, settings } = command.data;
  if (state.attempts.some((attempt) => attempt.linkId === linkId)) return [];
  // Refused (see `isRefused`): nothing to record here.
  if (activeBlock(state, now)) return [];
  // Failures counted under looser settings reach the threshold of a stricter bank's policy: blocked now.
  const failed = failedAccounts(state, now, settings.windowMinutes);
  if (failed.size >= settings.threshold) return [thresholdReached(command.data, failed)];
  return [{ type: 'ActorAttemptRegistered', data: { actor, linkId, accountToken, at: now } }];
};

const recordActorAttemptFailed = (command: RecordActorAttemptFailed, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { linkId, now, settings } = command.data;
  const attempt = state.attempts.find((candidate) => candidate.linkId === linkId);
  // A link fails at most once for its actors; one never registered (before these defences) is not counted.
  if (!attempt || attempt.failedAt !== undefined) return [];
  // Blocked already: this failure is not counted, and the caller rejects the link instead (see `isBlockedFor`).
  if (activeBlock(state, now)) return [];
  const failed = failedAccounts(state, now, settings.windowMinutes).add(attempt.accountToken);
  const events: ActorDefenceEvent[] = [{ type: 'ActorAttemptFailed', data: { linkId, at: now } }];
  if (failed.size >= settings.threshold) events.push(thresholdReached(command.data, failed));
  return events;
};

const endActorAttempt = (command: EndActorAttempt, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { linkId, now } = command.data;
  const attempt = state.attempts.find((candidate) => candidate.linkId === linkId);
  if (attempt?.outcome !== 'pending') return [];
  return [{ type: 'ActorAttemptEnded', data: { linkId, at: now } }];
};

const blockActor = (command: BlockActor, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { actor, blockId, now, blockMinutes, reason } = command.data;
  if (state.blocks.some((block) => block.blockId === blockId)) return [];
  const until = addMinutes(now, blockMinutes);
  const current = activeBlock(state, now);
  if (current && !isBefore(current.until, until)) return [];
  const accountsTried = new Set(state.attempts.filter((a) => a.failedAt !== undefined).map((a) => a.accountToken)).size;
  return [{ type: 'ActorBlocked', data: { actor, blockId, at: now, until, reason, accountsTried } }];
};

const liftActorBlock = (command: LiftActorBlock, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { blockId, now, reason } = command.data;
  const block = state.blocks.find((candidate) => candidate.blockId === blockId);
  if (!block) throw new DomainError('actor_block_not_found', `No block ${blockId}`);
  if (block.liftedAt !== undefined || !isBefore(now, block.until)) return [];
  return [{ type: 'ActorBlockLifted', data: { blockId, at: now, reason } }];
};

const expireActorBlock = (command: ExpireActorBlock, state: ActorDefenceState): ActorDefenceEvent[] => {
  const { blockId, now } = command.data;
  const block = state.blocks.find((candidate) => candidate.blockId === blockId);
  if (!block) throw new DomainError('actor_block_not_found', `No block ${blockId}`);
  // Lifted first, or recorded already (a timer fired twice): nothing to record.
  if (block.liftedAt !== undefined || block.expiredAt !== undefined) return [];
  if (isBefore(now, block.until)) {
    throw new DomainError('actor_block_not_yet_over', `Block ${blockId} runs until ${block.until}`);
  }
  return [{ type: 'ActorBlockExpired', data: { blockId, at: now } }];
};

export const decideActorDefence = (command: ActorDefenceCommand, state: ActorDefenceState): ActorDefenceEvent[] => {
  switch (command.type) {
    case 'RegisterActorAttempt':
      return registerActorAttempt(command, state);
    case 'RecordActorAttemptFailed':
      return recordActorAttemptFailed(command, state);
    case 'EndActorAttempt':
      return endActorAttempt(command, state);
    case 'BlockActor':
      return blockActor(command, state);
    case 'LiftActorBlock':
      return liftActorBlock(command, state);
    case 'ExpireActorBlock':
      return expireActorBlock(command, state);
    default:
      return assertNever(command, 'actor defence command');
  }
};

export const evolveActorDefence = (state: ActorDefenceState, event: ActorDefenceEvent): ActorDefenceState => {
  switch (event.type) {
    case 'ActorAttemptRegistered': {
      const { linkId, accountToken, at } = event.data;
      return { ...state, attempts: [...state.attempts, { linkId, accountToken, at, outcome: 'pending' }] };
    }
    case 'ActorAttemptRefused':
      return state;
    case 'ActorAttemptFailed':
      return {
        ...state,
        attempts: state.attempts.map((attempt) =>
          attempt.linkId === event.data.linkId ? { ...attempt, outcome: 'failed', failedAt: event.data.at } : attempt,
        ),
      };
    case 'ActorAttemptEnded':
      return {
        ...state,
        attempts: state.attempts.map((attempt) =>
          attempt.linkId === event.data.linkId ? { ...attempt, outcome: 'ended' } : attempt,
        ),
      };
    case 'ActorBlocked': {
      const { blockId, at, until, reason } = event.data;
      return { ...state, blocks: [...state.blocks, { blockId, at, until, reason }] };
    }
    case 'ActorBlockLifted':
      return {
        ...state,
        countsFailuresAfter: event.data.at,
        blocks: state.blocks.map((block) =>
          block.blockId === event.data.blockId ? { ...block, liftedAt: event.data.at } : block,
        ),
      };
    case 'ActorBlockExpired':
      return {
        ...state,
        blocks: state.blocks.map((block) =>
          block.blockId === event.data.blockId ? { ...block, expiredAt: event.data.at } : block,
        ),
      };
    default:
      return assertNever(event, 'actor defence event');
  }
};

/** One actor's defences (R8, reverse brute force): distinct failing accounts in a window block the actor. */
export const actorDefenceDecider: Decider<ActorDefenceState, ActorDefenceCommand, ActorDefenceEvent> = {
  decide: decideActorDefence,
  evolve: evolveActorDefence,
  initialState: initialActorDefenceState,
};
