import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import type { WebhookEventType } from '../../domain/webhook-endpoint/webhook-event-types';
import { SqlWebhooksOut } from './sql-webhooks-out';

describe('the webhooks-out outbox on PGlite', () => {
  let sql: PgliteSqlClient;
  let outbox: SqlWebhooksOut;
  const at = new Date('2026-11-21T10:00:00Z');

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    outbox = new SqlWebhooksOut(sql);
    await outbox.ensureSchema();
    await sql.transaction(async (tx) => {
      await outbox.saveEndpoint(
        tx,
        {
          status: 'enabled',
          endpointId: 'whe_a',
          owner: { kind: 'payment_app', id: 'app-a' },
          url: 'https://a.example/hooks',
          eventTypes: [],
          description: null,
          secrets: [{ sealedSecret: 'sealed', validUntil: null }],
          createdAt: at.toISOString(),
          disabledAt: null,
        },
        at,
      );
      await outbox.recordEvents(
        tx,
        [
          {
            id: 'evt_1',
            audience: { kind: 'payment_app', id: 'app-a' },
            type: 'link.activated',
            createdAt: at.toISOString(),
            body: '{"id":"evt_1"}',
            cause: { eventId: 'e1', streamName: 'link-lnk_1', revision: 3, type: 'LinkActivated', checkpoint: '0001' },
          },
        ],
        at,
      );
    });
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('claims a due delivery once, records a failed attempt with its retry, then the success, each once', async () => {
    const claimed = await outbox.claimNext('whe_a', at, new Date(at.getTime() + 60_000));
    expect(claimed).toMatchObject({ deliveryId: 'whe_a:evt_1', attempt: 1, body: '{"id":"evt_1"}', claims: 1 });
    expect(await outbox.claimNext('whe_a', at, new Date(at.getTime() + 60_000))).toBeUndefined();
    const retryAt = new Date(at.getTime() + 5_000);
    const failed = { deliveryId: 'whe_a:evt_1', attempt: 1, durationMs: 3, at, responseCode: 500, detail: 'http_500' };
    expect(await outbox.recordAttempt({ ...failed, status: 'failed', retryAt })).toEqual({ failingSince: at });
    // The same attempt reported again (a worker whose lease ran out) changes nothing, and answers the health as is.
    expect(await outbox.recordAttempt({ ...failed, status: 'failed', retryAt, at: retryAt })).toEqual({
      failingSince: at,
    });
    expect(await outbox.dueEndpoints(at, 10, [])).toEqual([]);
    expect(await outbox.dueEndpoints(retryAt, 10, [])).toEqual(['whe_a']);
    const again = await outbox.claimNext('whe_a', retryAt, new Date(retryAt.getTime() + 60_000));
    expect(again?.attempt).toBe(2);
    expect(
      await outbox.recordAttempt({
        ...failed,
        attempt: 2,
        status: 'succeeded',
        responseCode: 200,
        detail: null,
        at: retryAt,
      }),
    ).toEqual({ failingSince: null });
    const log = await outbox.deliveryLog('whe_a', undefined, 1);
    expect(log.items).toEqual([
      {
        eventId: 'evt_1',
        attempt: 2,
        status: 'succeeded',
        responseCode: 200,
        durationMs: 3,
        at: retryAt.toISOString(),
      },
    ]);
    const older = await outbox.deliveryLog('whe_a', log.nextCursor ?? undefined, 10);
    expect(older.items.map((item) => [item.attempt, item.status])).toEqual([[1, 'failed']]);
    expect(older.nextCursor).toBeNull();
  });

  it("records a batch's events once each, with a delivery to each enabled endpoint of its audience taking its type", async () => {
    const batchAt = new Date(at.getTime() + 7_200_000);
    const endpoint = (endpointId: string, owner: string, eventTypes: string[], status: 'enabled' | 'disabled') => ({
      status,
      endpointId,
      owner: { kind: 'payment_app' as const, id: owner },
      url: `https://${endpointId}.example/hooks`,
      eventTypes,
      description: null,
      secrets: [{ sealedSecret: 'sealed', validUntil: null }],
      createdAt: batchAt.toISOString(),
      disabledAt: status === 'disabled' ? batchAt.toISOString() : null,
    });
    const event = (id: string, owner: string, type: WebhookEventType) => ({
      id,
      audience: { kind: 'payment_app' as const, id: owner },
      type,
      createdAt: batchAt.toISOString(),
      body: `{"id":"${id}"}`,
      cause: {
        eventId: `e-${id}`,
        streamName: 'link-lnk_b',
        revision: 0,
        type: 'LinkActivated',
        checkpoint: `09${id}`,
      },
    });
    await sql.transaction(async (tx) => {
      await outbox.saveEndpoint(tx, endpoint('whe_all', 'app-b', [], 'enabled') as never, batchAt);
      await outbox.saveEndpoint(tx, endpoint('whe_active', 'app-b', ['link.activated'], 'enabled') as never, batchAt);
      await outbox.saveEndpoint(tx, endpoint('whe_off', 'app-b', [], 'disabled') as never, batchAt);
      await outbox.saveEndpoint(tx, endpoint('whe_other', 'app-c', [], 'enabled') as never, batchAt);
    });
    const batch = [
      event('evt_b1', 'app-b', 'link.activated'),
      event('evt_b2', 'app-b', 'link.revoked'),
      event('evt_c1', 'app-c', 'link.revoked'),
    ];
    await sql.transaction((tx) => outbox.recordEvents(tx, batch, batchAt));
    // The same batch again (a replay after a crash before the checkpoint) adds nothing.
    await sql.transaction((tx) => outbox.recordEvents(tx, batch, batchAt));
    const events = await sql.query<{ id: string; n: string }>(
      `SELECT id, count(*)::text AS n FROM webhook_events WHERE id LIKE 'evt\\_b%' OR id LIKE 'evt\\_c%' GROUP BY id ORDER BY id`,
    );
    expect(events).toEqual([
      { id: 'evt_b1', n: '1' },
      { id: 'evt_b2', n: '1' },
      { id: 'evt_c1', n: '1' },
    ]);
    const deliveries = await sql.query<{ id: string }>(
      `SELECT id FROM webhook_deliveries WHERE event_id IN ('evt_b1', 'evt_b2', 'evt_c1') ORDER BY id`,
    );
    expect(deliveries.map((row) => row.id)).toEqual([
      'whe_active:evt_b1',
      'whe_all:evt_b1',
      'whe_all:evt_b2',
      'whe_other:evt_c1',
    ]);
  });

  it('claims the deliveries one batch queued at the same time in the order of the log, not of their ids', async () => {
    const batchAt = new Date(at.getTime() + 3_600_000);
    // Ids sort against the log's order: the later event has the smaller id.
    const inLogOrder = [
      { id: 'evt_z', checkpoint: '0010' },
      { id: 'evt_m', checkpoint: '0011' },
      { id: 'evt_b', checkpoint: '0012' },
    ];
    await sql.transaction(async (tx) => {
      await outbox.recordEvents(
        tx,
        [...inLogOrder].reverse().map(({ id, checkpoint }) => ({
          id,
          audience: { kind: 'payment_app', id: 'app-a' },
          type: 'case.updated',
          createdAt: batchAt.toISOString(),
          body: `{"id":"${id}"}`,
          cause: { eventId: `e-${id}`, streamName: 'case-cas_1', revision: 0, type: 'CaseNoteAdded', checkpoint },
        })),
        batchAt,
      );
    });
    const claimedIds: string[] = [];
    for (;;) {
      const claimed = await outbox.claimNext('whe_a', batchAt, new Date(batchAt.getTime() + 60_000));
      if (!claimed) break;
      claimedIds.push(claimed.eventId);
      await outbox.recordAttempt({
        deliveryId: claimed.deliveryId,
        attempt: claimed.attempt,
        status: 'succeeded',
        responseCode: 204,
        durationMs: 1,
        at: batchAt,
        detail: null,
      });
    }
    expect(claimedIds).toEqual(inLogOrder.map(({ id }) => id));
  });
});
