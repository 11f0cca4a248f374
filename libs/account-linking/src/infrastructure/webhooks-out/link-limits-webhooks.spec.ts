import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { WebhooksOutProcessManager } from '../../application/webhooks-out/webhooks-out.process-manager';
import type { LinkEvent } from '../../domain/link/link-events';
import { HISTORIES, LATER, LINK_ID } from '../../domain/link/testing/link-fixtures';
import { SqlWebhooksOut } from './sql-webhooks-out';

/** The webhooks-out process manager on a link's limits events, with the real outbox on PGlite. */
describe('link.limits_changed: told though the status stays', () => {
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
  const ofLink = (events: readonly LinkEvent[], from = 0) =>
    events.map((event, index) => recorded(`link-${LINK_ID}`, from + index, event.type, event.data));
  const apply = (events: RecordedEvent[]) => sql.transaction((tx) => manager.apply(events, tx));

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    outbox = new SqlWebhooksOut(sql);
    await outbox.ensureSchema();
    manager = new WebhooksOutProcessManager(outbox, { now: () => at });
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('tells the app and the bank of each limits event with the limits after it, and still not of a no-op reinstatement', async () => {
    const limits = { perDebit: 5_000, daily: null, monthly: null };
    const pending = { ...limits, daily: 50_000 };
    const later: LinkEvent[] = [
      {
        type: 'LinkLimitsChanged',
        data: { linkId: LINK_ID, at: LATER, by: 'payment_app', limits, previous: { ...limits, perDebit: null } },
      },
      { type: 'LinkLimitRaiseRequested', data: { linkId: LINK_ID, at: LATER, pending } },
      { type: 'LinkReinstated', data: { linkId: LINK_ID, at: LATER, by: 'operator', reason: 'not suspended' } },
      { type: 'LinkLimitRaiseWithdrawn', data: { linkId: LINK_ID, at: LATER, by: 'bank', withdrawn: pending } },
    ];
    await apply([...ofLink(HISTORIES.active), ...ofLink(later, HISTORIES.active.length)]);

    const told = (await outbox.events({ kind: 'payment_app', id: 'sandbox-app' }, undefined, [], 100)).items;
    expect(told.map((event) => event.type)).toEqual([
      'link.notifying_customer',
      'link.activated',
      'link.limits_changed',
      'link.limits_changed',
      'link.limits_changed',
    ]);
    const limitsOf = (index: number) => (told[index]?.data as { limits?: unknown } | undefined)?.limits;
    expect(limitsOf(2)).toEqual(limits);
    expect(limitsOf(3)).toEqual({ ...limits, pending });
    expect(limitsOf(4)).toEqual(limits);
    const toBank = (await outbox.events({ kind: 'bank', id: '0001' }, undefined, [], 100)).items;
    expect(toBank.filter((event) => event.type === 'link.limits_changed')).toHaveLength(3);
  });
});
