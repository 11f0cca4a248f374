import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { WebhooksOutProcessManager } from '../../application/webhooks-out/webhooks-out.process-manager';
import { SqlWebhooksOut } from './sql-webhooks-out';

/** The webhooks-out process manager on the actor streams, with the real outbox on PGlite. */
describe('actor.blocked, actor.block_lifted and actor.block_expired from the actor streams', () => {
  let sql: PgliteSqlClient;
  let outbox: SqlWebhooksOut;
  let manager: WebhooksOutProcessManager;
  const at = new Date('2026-11-21T10:00:00Z');
  let position = 0;

  const recorded = (streamName: string, revision: number, type: string, data: unknown): RecordedEvent => {
    position += 1;
    return {
      id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      type,
      data,
      metadata: {} as RecordedEvent['metadata'],
      streamName,
      revision,
      globalPosition: position,
      checkpoint: String(position).padStart(8, '0'),
      recordedAt: new Date(at.getTime() + position * 1000),
    };
  };
  const endpoint = (endpointId: string, app: string) =>
    recorded(`webhook-endpoint-${endpointId}`, 0, 'WebhookEndpointRegistered', {
      endpointId,
      owner: { kind: 'payment_app', id: app },
      url: `https://${app}.example/hooks`,
      eventTypes: [],
      description: null,
      sealedSecret: 'sealed',
      at: at.toISOString(),
    });
  const apply = (...events: RecordedEvent[]) => sql.transaction((tx) => manager.apply(events, tx));
  const eventsOf = async (app: string) =>
    (await outbox.events({ kind: 'payment_app', id: app }, undefined, [], 100)).items;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    outbox = new SqlWebhooksOut(sql);
    await outbox.ensureSchema();
    manager = new WebhooksOutProcessManager(outbox, { now: () => at });
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('follows the actor streams for their blocks and lifts only', () => {
    expect(manager.filter.streamPrefixes).toContain('actor-');
    expect(manager.filter.eventTypes).toEqual(
      expect.arrayContaining(['ActorBlocked', 'ActorBlockLifted', 'ActorBlockExpired']),
    );
    expect(manager.filter.eventTypes).not.toContain('ActorAttemptRegistered');
  });

  it("tells the address's app of its block by the address's hash, and of the lift with the block; no other app", async () => {
    await apply(endpoint('whe_a', 'app-a'), endpoint('whe_b', 'app-b'));
    const actor = { kind: 'ip_address', paymentAppId: 'app-a', key: 'kh1_hash-of-the-address' };
    await apply(
      recorded('actor-ip_address-kh1', 12, 'ActorBlocked', {
        actor,
        blockId: 'blk_1',
        at: '2026-11-21T10:00:05Z',
        until: '2026-11-21T11:00:05Z',
        reason: 'too_many_accounts_failed',
        accountsTried: 10,
      }),
      recorded('actor-ip_address-kh1', 13, 'ActorBlockLifted', {
        blockId: 'blk_1',
        at: '2026-11-21T10:30:00.000Z',
        reason: 'a shared office address',
      }),
    );
    const block = {
      id: 'blk_1',
      actor,
      blockedAt: '2026-11-21T10:00:05.000Z',
      until: '2026-11-21T11:00:05.000Z',
      reason: 'too_many_accounts_failed',
      accountsTried: 10,
    };
    const told = await eventsOf('app-a');
    expect(told.map((event) => [event.type, event.data])).toEqual([
      ['actor.blocked', block],
      ['actor.block_lifted', { ...block, liftedAt: '2026-11-21T10:30:00.000Z', liftReason: 'a shared office address' }],
    ]);
    expect(told[0]?.id).toMatch(/^evt_/);
    expect(await eventsOf('app-b')).toEqual([]);
    expect((await outbox.claimNext('whe_a', at, new Date(at.getTime() + 60_000)))?.eventId).toBe(told[0]?.id);
    expect(await outbox.dueEndpoints(new Date(at.getTime() + 3_600_000), 10, ['whe_a'])).toEqual([]);
  });

  it('tells nothing of the lift of a block it never saw (made before it followed the actor streams)', async () => {
    await apply(
      recorded('actor-device-kh2', 4, 'ActorBlockLifted', { blockId: 'blk_old', at: at.toISOString(), reason: 'x' }),
    );
    expect((await eventsOf('app-a')).filter((event) => (event.data as { id: string }).id === 'blk_old')).toEqual([]);
  });

  it('tells the app when a block ran out, as its timer recorded it', async () => {
    const actor = { kind: 'device', paymentAppId: 'app-a', key: 'device-9' };
    await apply(
      recorded('actor-device-kh9', 5, 'ActorBlocked', {
        actor,
        blockId: 'blk_9',
        at: '2026-11-21T10:00:00Z',
        until: '2026-11-22T10:00:00Z',
        reason: 'too_many_accounts_failed',
        accountsTried: 3,
      }),
      recorded('actor-device-kh9', 6, 'ActorBlockExpired', { blockId: 'blk_9', at: '2026-11-22T10:00:01Z' }),
    );
    const told = (await eventsOf('app-a')).filter((event) => (event.data as { id: string }).id === 'blk_9');
    expect(told.map((event) => [event.type, (event.data as { expiredAt?: string }).expiredAt])).toEqual([
      ['actor.blocked', undefined],
      ['actor.block_expired', '2026-11-22T10:00:01.000Z'],
    ]);
  });
});
