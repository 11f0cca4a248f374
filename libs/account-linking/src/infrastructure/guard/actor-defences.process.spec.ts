import { ActorDefences } from '../../application/actor-defences/actor-defences';
import { ActorBlockExpiry } from '../../application/actor-defences/actor-block-expiry';
import { ActorDefencesProcessManager } from '../../application/actor-defences/actor-defences.process-manager';
import { linkStream } from '../../application/link-streams';
import {
  aRequestLink,
  linkCommandRunnerFor,
  NO_BANKS,
  TEST_ACTOR_KEYS,
  TEST_LINKING_SETTINGS,
} from '../../application/testing/application-fixtures';
import { newLinkId, ProcessHarness } from '../testing/process-harness';
import { SqlActorBlockTimers } from '../timers/sql-actor-block-timers';

const T0 = '2026-11-21T10:00:00.000Z';
const metadata = {
  actor: { type: 'system' as const, id: 'test' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: T0,
};

describe("the actor defences' durable catch-up", () => {
  let harness: ProcessHarness;
  let actors: ActorDefences;
  let manager: ActorDefencesProcessManager;
  let timers: SqlActorBlockTimers;

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    actors = new ActorDefences(harness.store, TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS, NO_BANKS);
    timers = new SqlActorBlockTimers(harness.sql);
    await timers.ensureSchema();
    manager = new ActorDefencesProcessManager(harness.store, actors, linkCommandRunnerFor(harness.store), timers);
    harness.run(manager);
  });
  afterAll(() => harness.close());

  /** A link awaiting its bank, its attempt registered with its actors (device `device`, customer `u1`). */
  const awaitingLink = async (device: string) => {
    const linkId = newLinkId();
    const request = aRequestLink(linkId, 'app');
    await linkCommandRunnerFor(harness.store).run(
      linkId,
      { ...request, data: { ...request.data, deviceId: device } },
      metadata,
    );
    const link = { paymentAppId: 'app', deviceId: device, customerReference: `u-${linkId}` };
    await actors.register(link, linkId, `bat_${linkId}`, T0, metadata);
    return { linkId, link };
  };

  const blockDevice = async (device: string, blockId: string, reason: string) => {
    const actor = { kind: 'device' as const, paymentAppId: 'app', key: device };
    const data = { actor, blockId, now: '2026-11-21T10:01:00.000Z', blockMinutes: 60, reason };
    await actors.decide(actors.streamOf(actor), { type: 'BlockActor', data }, metadata);
    return actor;
  };

  it("rejects a blocked actor's links still awaiting their bank, once, with actor_blocked", async () => {
    const device = `device-${newLinkId()}`;
    const { linkId } = await awaitingLink(device);
    const actor = await blockDevice(device, 'blk_rule', 'too_many_accounts_failed');
    await harness.settle();
    await harness.settle();
    const events = await harness.store.readStream(linkStream(linkId));
    expect(events.map((event) => event.type)).toEqual(['LinkRequested', 'LinkRejected']);
    expect(events[1]?.data).toMatchObject({ reason: 'actor_blocked' });
    expect(events[1]?.metadata.actor).toEqual({ type: 'system', id: 'actor-defences' });

    // A replay (a rebuild, or a crash before the checkpoint) takes no second action.
    await manager.react(await harness.store.readStream(actors.streamOf(actor)));
    expect(await harness.eventTypes(linkId)).toEqual(['LinkRequested', 'LinkRejected']);
  });

  it("leaves a fraud rule's block to the rule, which deals with the actor's links itself", async () => {
    const device = `device-${newLinkId()}`;
    const { linkId } = await awaitingLink(device);
    await blockDevice(device, 'blk_fraud', 'fraud_rule:customer_objected');
    await harness.settle();
    expect(await harness.eventTypes(linkId)).toEqual(['LinkRequested']);
  });

  it('counts a failure it reads from the log when the command side could not tell the actors', async () => {
    const device = `device-${newLinkId()}`;
    const { linkId } = await awaitingLink(device);
    await harness.append(linkId, [
      { type: 'BankAuthenticationFailed', data: { linkId, at: '2026-11-21T10:02:00.000Z', reason: 'wrong PIN' } },
    ]);
    await harness.settle();
    const stream = actors.streamOf({ kind: 'device', paymentAppId: 'app', key: device });
    expect((await harness.store.readStream(stream)).map((event) => event.type)).toEqual([
      'ActorAttemptRegistered',
      'ActorAttemptFailed',
    ]);
  });

  it("takes a link's actors from its request on the log, reading nothing of the link", async () => {
    const device = `device-${newLinkId()}`;
    const { linkId } = await awaitingLink(device);
    await harness.settle();
    const reads = jest.spyOn(harness.store, 'readStream');
    try {
      await harness.append(linkId, [
        { type: 'BankAuthenticationFailed', data: { linkId, at: '2026-11-21T10:02:00.000Z', reason: 'wrong PIN' } },
      ]);
      await harness.settle();
      expect(reads.mock.calls.filter(([stream]) => stream === linkStream(linkId))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    const stream = actors.streamOf({ kind: 'device', paymentAppId: 'app', key: device });
    expect((await harness.store.readStream(stream)).map((event) => event.type)).toEqual([
      'ActorAttemptRegistered',
      'ActorAttemptFailed',
    ]);
  });

  it('records the end of a block with its durable timer, once; a lifted block’s timer never fires', async () => {
    const ran = `device-${newLinkId()}`;
    const lifted = `device-${newLinkId()}`;
    const ranActor = await blockDevice(ran, 'blk_runs_out', 'too_many_accounts_failed');
    const liftedActor = await blockDevice(lifted, 'blk_lifted', 'too_many_accounts_failed');
    await actors.decide(
      actors.streamOf(liftedActor),
      { type: 'LiftActorBlock', data: { blockId: 'blk_lifted', now: '2026-11-21T10:30:00.000Z', reason: 'verified' } },
      metadata,
    );
    await harness.settle();
    const timerRows = await harness.sql.query<{ block_id: string; due_at: Date; cancelled_at: Date | null }>(
      `SELECT block_id, due_at, cancelled_at FROM actor_block_timers WHERE block_id IN ('blk_runs_out', 'blk_lifted')
        ORDER BY block_id`,
    );
    expect(timerRows).toEqual([
      { block_id: 'blk_lifted', due_at: new Date('2026-11-21T11:01:00.000Z'), cancelled_at: expect.any(Date) },
      { block_id: 'blk_runs_out', due_at: new Date('2026-11-21T11:01:00.000Z'), cancelled_at: null },
    ]);

    let now = new Date('2026-11-21T10:59:00.000Z');
    const expiry = new ActorBlockExpiry(
      timers,
      { now: () => now },
      { claimTtlMs: 60_000, batchSize: 50, dormancyDays: 395 },
      actors,
    );
    expect(await expiry.fireDue()).toBe(0);
    now = new Date('2026-11-21T11:01:30.000Z');
    await expiry.fireDue(); // the earlier tests' blocks run out too
    expect(await expiry.fireDue()).toBe(0);
    const fired = await harness.sql.query<{ outcome: string }>(
      `SELECT outcome FROM actor_block_timers WHERE block_id = 'blk_runs_out'`,
    );
    expect(fired).toEqual([{ outcome: 'expired' }]);
    const ranEvents = await harness.store.readStream(actors.streamOf(ranActor));
    expect(ranEvents.map((event) => event.type)).toEqual(['ActorBlocked', 'ActorBlockExpired']);
    expect(ranEvents[1]).toMatchObject({
      data: { blockId: 'blk_runs_out', at: '2026-11-21T11:01:30.000Z' },
      metadata: { actor: { type: 'system', id: 'actor-block-timer' } },
    });
    expect((await harness.store.readStream(actors.streamOf(liftedActor))).map((event) => event.type)).toEqual([
      'ActorBlocked',
      'ActorBlockLifted',
    ]);
    // A replay of the block schedules nothing new.
    await harness.sql.transaction((tx) => manager.apply(ranEvents, tx));
    expect(await expiry.fireDue()).toBe(0);
  });
});
