import { DeciderSpecification } from '../testing/decider-specification';
import { addMinutes } from '../time';
import { type ActorIdentity, tightenedActorDefences } from './actor';
import type { RecordActorAttemptFailed, RegisterActorAttempt } from './actor-defence.commands';
import { actorDefenceDecider, isRefused } from './actor-defence.decider';
import type { ActorDefenceEvent } from './actor-defence.events';

const given = DeciderSpecification.for(actorDefenceDecider);
const T0 = '2026-11-20T10:00:00.000Z';
const at = (minutes: number) => addMinutes(T0, minutes);
const actor: ActorIdentity = { kind: 'device', paymentAppId: 'app', key: 'device-1' };
const settings = { threshold: 3, windowMinutes: 24 * 60, blockMinutes: 24 * 60 };

const register = (linkId: string, accountToken: string, now = at(0)): RegisterActorAttempt => ({
  type: 'RegisterActorAttempt',
  data: { actor, linkId, accountToken, blockId: `blk_${linkId}`, now, settings },
});
const fail = (linkId: string, now = at(1)): RecordActorAttemptFailed => ({
  type: 'RecordActorAttemptFailed',
  data: { actor, linkId, blockId: `blk_${linkId}`, now, settings },
});
const registered = (linkId: string, accountToken: string, when = at(0)): ActorDefenceEvent => ({
  type: 'ActorAttemptRegistered',
  data: { actor, linkId, accountToken, at: when },
});
const failed = (linkId: string, when = at(1)): ActorDefenceEvent => ({
  type: 'ActorAttemptFailed',
  data: { linkId, at: when },
});
const ended = (linkId: string, when = at(1)): ActorDefenceEvent => ({
  type: 'ActorAttemptEnded',
  data: { linkId, at: when },
});

/** Three accounts tried and failed: the device is blocked at the third. */
const threeFailed = [
  registered('l1', 'acc1'),
  failed('l1'),
  registered('l2', 'acc2'),
  failed('l2'),
  registered('l3', 'acc3'),
  failed('l3'),
];
const blocked: ActorDefenceEvent = {
  type: 'ActorBlocked',
  data: {
    actor,
    blockId: 'blk_l3',
    at: at(1),
    until: at(1 + 24 * 60),
    reason: 'too_many_accounts_failed',
    accountsTried: 3,
  },
};

describe('actor defences (R8, reverse brute force)', () => {
  it('registers an attempt on a new account', () => {
    given([])
      .when(register('l1', 'acc1'))
      .then([registered('l1', 'acc1')]);
  });

  it('blocks the actor when the threshold of distinct accounts has failed', () => {
    given(threeFailed.slice(0, 5))
      .when(fail('l3'))
      .then([failed('l3'), blocked]);
  });

  it('counts the same account failing twice once', () => {
    given([registered('l1', 'acc1'), failed('l1'), registered('l2', 'acc1'), failed('l2'), registered('l3', 'acc2')])
      .when(fail('l3'))
      .then([failed('l3')]);
  });

  it('refuses a blocked actor without writing to its stream (the link records the refusal)', () => {
    const history = [...threeFailed, blocked];
    given(history)
      .when(register('l4', 'acc4', at(2)))
      .thenNothingHappened();
    const state = history.reduce(actorDefenceDecider.evolve, actorDefenceDecider.initialState());
    expect(isRefused(state, 'l4', at(2))).toBe(true);
    // An attempt registered before the block is not refused again (a retried registration).
    expect(isRefused(state, 'l3', at(2))).toBe(false);
    expect(isRefused(state, 'l4', at(1 + 24 * 60 + 1))).toBe(false);
  });

  it('forgets failures older than the window, and lets the actor in again once its block has run out', () => {
    const dayLater = at(1 + 24 * 60 + 1);
    given([...threeFailed, blocked])
      .when(register('l4', 'acc4', dayLater))
      .then([registered('l4', 'acc4', dayLater)]);
  });

  it('lets a device with attempts awaiting their bank make more: only failures count', () => {
    given([registered('l1', 'acc1'), registered('l2', 'acc2'), registered('l3', 'acc3'), ended('l3')])
      .when(register('l4', 'acc4'))
      .then([registered('l4', 'acc4')]);
  });

  it('does not count a failure reported once the actor is blocked: its link is rejected instead', () => {
    given([...threeFailed, blocked, registered('l9', 'acc9')])
      .when(fail('l9', at(2)))
      .then([]);
  });

  it('changes nothing when the same failure or the same registration comes again', () => {
    given(threeFailed).when(fail('l3')).then([]);
    given([registered('l1', 'acc1')])
      .when(register('l1', 'acc1'))
      .then([]);
  });

  it('lifts a block once, and refuses to lift a block it never had', () => {
    const lift = {
      type: 'LiftActorBlock',
      data: { blockId: 'blk_l3', now: at(5), reason: 'customer verified' },
    } as const;
    given([...threeFailed, blocked])
      .when(lift)
      .then([{ type: 'ActorBlockLifted', data: { blockId: 'blk_l3', at: at(5), reason: 'customer verified' } }]);
    given([...threeFailed, blocked, { type: 'ActorBlockLifted', data: { blockId: 'blk_l3', at: at(5), reason: 'x' } }])
      .when(lift)
      .then([]);
    given([]).when(lift).thenThrows('actor_block_not_found');
  });

  it('records once that a block ran out, when its timer fires after its end; not before, not after a lift', () => {
    const over = at(1 + 24 * 60);
    const expire = (now: string) => ({ type: 'ExpireActorBlock', data: { blockId: 'blk_l3', now } }) as const;
    const expired: ActorDefenceEvent = { type: 'ActorBlockExpired', data: { blockId: 'blk_l3', at: over } };
    given([...threeFailed, blocked])
      .when(expire(over))
      .then([expired]);
    given([...threeFailed, blocked, expired])
      .when(expire(at(2 * 24 * 60)))
      .then([]);
    given([...threeFailed, blocked])
      .when(expire(at(60)))
      .thenThrows('actor_block_not_yet_over');
    given([...threeFailed, blocked, { type: 'ActorBlockLifted', data: { blockId: 'blk_l3', at: at(5), reason: 'x' } }])
      .when(expire(over))
      .then([]);
    given([]).when(expire(over)).thenThrows('actor_block_not_found');
    // The expiry changes no decision: the block had run out already.
    const state = [...threeFailed, blocked, expired].reduce(
      actorDefenceDecider.evolve,
      actorDefenceDecider.initialState(),
    );
    expect(state.blocks[0]).toMatchObject({ blockId: 'blk_l3', expiredAt: over });
    expect(isRefused(state, 'l9', over)).toBe(false);
  });

  it('blocks at a request when a stricter bank’s threshold is reached by failures counted under looser settings', () => {
    const strict = { threshold: 2, windowMinutes: 48 * 60, blockMinutes: 48 * 60 };
    const twoFailed = threeFailed.slice(0, 4);
    given(twoFailed)
      .when({ ...register('l9', 'acc9', at(2)), data: { ...register('l9', 'acc9', at(2)).data, settings: strict } })
      .then([
        {
          type: 'ActorBlocked',
          data: {
            actor,
            blockId: 'blk_l9',
            at: at(2),
            until: at(2 + 48 * 60),
            reason: 'too_many_accounts_failed',
            accountsTried: 2,
          },
        },
      ]);
    // The deployment's threshold (3) lets the same actor through.
    given(twoFailed)
      .when(register('l9', 'acc9', at(2)))
      .then([registered('l9', 'acc9', at(2))]);
  });

  it('takes the tighter of the deployment’s and a bank’s settings, never a looser one', () => {
    const deployment = { threshold: 3, windowMinutes: 60, blockMinutes: 60 };
    expect(tightenedActorDefences(deployment, undefined)).toEqual(deployment);
    expect(tightenedActorDefences(deployment, { threshold: 2, windowMinutes: 120 })).toEqual({
      threshold: 2,
      windowMinutes: 120,
      blockMinutes: 60,
    });
    expect(tightenedActorDefences(deployment, { threshold: 10, windowMinutes: 5, blockMinutes: 1 })).toEqual(
      deployment,
    );
  });

  it('gives the actor a fresh start once its block is lifted', () => {
    const lifted: ActorDefenceEvent = {
      type: 'ActorBlockLifted',
      data: { blockId: 'blk_l3', at: at(5), reason: 'ok' },
    };
    given([...threeFailed, blocked, lifted])
      .when(register('l4', 'acc4', at(6)))
      .then([registered('l4', 'acc4', at(6))]);
  });

  it('blocks outright for a fraud rule, once per block id', () => {
    const rule = {
      type: 'BlockActor',
      data: { actor, blockId: 'blk_rule', now: at(0), blockMinutes: 60, reason: 'fraud_rule:customer_objected' },
    } as const;
    const ruleBlocked: ActorDefenceEvent = {
      type: 'ActorBlocked',
      data: {
        actor,
        blockId: 'blk_rule',
        at: at(0),
        until: at(60),
        reason: 'fraud_rule:customer_objected',
        accountsTried: 0,
      },
    };
    given([]).when(rule).then([ruleBlocked]);
    given([ruleBlocked]).when(rule).then([]);
  });
});
