import { randomUUID } from 'node:crypto';
import type { EventData } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { BlueGreenRebuild } from '@lib/event-store/projections/blue-green-rebuild';
import { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { ActorDefenceEvent } from '../../domain/actor/actor-defence.events';
import { ActorSignalsProjection } from './actor-signals.projection';
import { SqlActorSignals } from './sql-actor-signals';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
const windows = { since24h: new Date(NOW - 24 * 3_600_000), since30d: new Date(NOW - 30 * 24 * 3_600_000) };
const actor = { kind: 'device', paymentAppId: 'app', key: 'device-1' } as const;

const asEventData = (event: ActorDefenceEvent): EventData => ({
  id: randomUUID(),
  type: event.type,
  data: event.data,
  metadata: { actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c', occurredAt: hoursAgo(0) },
});

describe.each(SQL_BACKENDS)('the actor-signals read model on $name', (backend) => {
  let sql: SqlClient;
  let store: PostgresEventStore;
  let dispose: () => Promise<void>;
  let runner: ProjectionRunner;
  const signals = new SqlActorSignals({ query: (text, params) => sql.query(text, params) });
  const run = randomUUID().slice(0, 8);
  const busy = `actor-device-busy-${run}`;
  const quiet = `actor-device-quiet-${run}`;

  beforeAll(async () => {
    const opened = await backend.open();
    sql = opened.sql;
    dispose = opened.dispose;
    store = await PostgresEventStore.create(sql, { pollIntervalMs: 20 });
    // Batches of 2: the same account tried twice within one batch and across batches.
    runner = new ProjectionRunner(store, sql, new ActorSignalsProjection(), { batchSize: 2 });
    runner.start();
    const tried = (linkId: string, accountToken: string, hours: number): ActorDefenceEvent => ({
      type: 'ActorAttemptRegistered',
      data: { actor, linkId, accountToken, at: hoursAgo(hours) },
    });
    const busyEvents: ActorDefenceEvent[] = [
      tried('lnk_1', 'acct-a', 24 * 40), // 40 days ago: in neither window
      tried('lnk_2', 'acct-b', 24 * 10), // 10 days ago, then again below
      tried('lnk_6', 'acct-e', 24 * 5), // 5 days ago: the 30 days only
      tried('lnk_3', 'acct-c', 2),
      { type: 'ActorAttemptFailed', data: { linkId: 'lnk_3', at: hoursAgo(2) } },
      tried('lnk_4', 'acct-b', 1), // again, within 24 h: counted once in each window
      {
        type: 'ActorBlocked',
        data: {
          actor,
          blockId: 'blk_1',
          at: hoursAgo(1),
          until: hoursAgo(-23),
          reason: 'too_many_accounts_failed',
          accountsTried: 3,
        },
      },
      {
        type: 'ActorAttemptRefused',
        data: { linkId: 'lnk_5', accountToken: 'acct-d', reason: 'blocked', at: hoursAgo(0.5), blockId: 'blk_1' },
      },
      { type: 'ActorBlockLifted', data: { blockId: 'blk_1', at: hoursAgo(0.2), reason: 'false positive' } },
    ];
    let last = '';
    for (const [index, event] of busyEvents.entries()) {
      last = (await store.appendToStream(busy, [asEventData(event)], index === 0 ? 'no_stream' : index - 1)).checkpoint;
    }
    last = (await store.appendToStream(quiet, [asEventData(tried('lnk_9', 'acct-z', 3))], 'no_stream')).checkpoint;
    await runner.waitFor(last);
  }, 60_000);
  afterAll(async () => {
    await runner.stop();
    await dispose();
  });

  it('counts the distinct accounts an actor tried in each window, and remembers a block', async () => {
    const found = await signals.of([busy, quiet, `actor-device-never-${run}`], windows);
    expect(found.get(busy)).toEqual({ accountsTried24h: 3, accountsTried30d: 4, everBlocked: true });
    expect(found.get(quiet)).toEqual({ accountsTried24h: 1, accountsTried30d: 1, everBlocked: false });
    expect(found.get(`actor-device-never-${run}`)).toEqual({
      accountsTried24h: 0,
      accountsTried30d: 0,
      everBlocked: false,
    });
  });

  it('counts from the start of the windows it is given, by the last time each account was tried', async () => {
    const shorter = { since24h: new Date(NOW - 1.5 * 3_600_000), since30d: new Date(NOW - 7 * 24 * 3_600_000) };
    // acct-b (again 1 h ago) and the refused acct-d; acct-c (2 h ago) is out; acct-e (5 days) is in the other.
    expect((await signals.of([busy], shorter)).get(busy)).toMatchObject({ accountsTried24h: 2, accountsTried30d: 4 });
  });

  it('rebuilds blue/green to exactly what live built', async () => {
    const snapshot = async () => ({
      accounts: await sql.query('SELECT * FROM rm_actor_accounts ORDER BY stream_name, account_token'),
      profiles: await sql.query('SELECT * FROM rm_actor_profiles ORDER BY stream_name'),
    });
    const live = await snapshot();
    await new BlueGreenRebuild(store, sql, new ActorSignalsProjection(), { batchSize: 500 }).run();
    expect(await snapshot()).toEqual(live);
  });
});
