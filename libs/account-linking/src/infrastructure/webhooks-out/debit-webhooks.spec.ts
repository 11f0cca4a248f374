import type { RecordedEvent } from '@lib/event-store/event-store.port';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { webhookEventId } from '../../application/webhooks-out/webhook-event-id';
import { WebhooksOutProcessManager } from '../../application/webhooks-out/webhooks-out.process-manager';
import type { DebitEvent, DebitFacts } from '../../domain/debit/debit.events';
import type { WebhookAudience } from '../../domain/webhook-endpoint/webhook-endpoint.events';
import { SqlWebhooksOut } from './sql-webhooks-out';

/** The webhooks-out process manager on the debits' streams, with the real outbox on PGlite. */
describe('debit.* webhooks from the debit streams', () => {
  let sql: PgliteSqlClient;
  let outbox: SqlWebhooksOut;
  let manager: WebhooksOutProcessManager;
  const at = new Date('2026-11-21T10:00:00Z');
  const authorisedAt = '2026-11-21T10:00:00.000Z';
  const expiresAt = '2026-11-21T10:10:00.000Z';
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
  const facts = (debitId: string, paymentAppId = 'app-a', bankCode = '0001'): DebitFacts => ({
    debitId,
    linkId: `lnk_of_${debitId}`,
    paymentAppId,
    bankCode,
    amount: 5000,
    currency: 'JPY',
    reference: `charge-${debitId}`,
    deviceId: 'device-abc',
  });
  const ofDebit = (debitId: string, events: readonly DebitEvent[], from = 0) =>
    events.map((event, index) => recorded(`debit-${debitId}`, from + index, event.type, event.data));
  const authorised = (debit: DebitFacts): DebitEvent => ({
    type: 'DebitAuthorised',
    data: { ...debit, at: authorisedAt, expiresAt },
  });
  const settled = (debit: DebitFacts, settledAt = '2026-11-21T10:03:00.000Z'): DebitEvent => ({
    type: 'DebitSettled',
    data: { debitId: debit.debitId, linkId: debit.linkId, at: settledAt, settledAt },
  });
  const apply = (events: RecordedEvent[], into = manager) => sql.transaction((tx) => into.apply(events, tx));
  const app = (id: string): WebhookAudience => ({ kind: 'payment_app', id });
  const bank = (id: string): WebhookAudience => ({ kind: 'bank', id });
  const eventsOf = async (audience: WebhookAudience, reads = outbox) =>
    (await reads.events(audience, undefined, [], 100)).items;
  const ofThe = <Told extends { data: unknown }>(debitId: string, events: Told[]) =>
    events.filter((event) => (event.data as { id?: string }).id === debitId);

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    outbox = new SqlWebhooksOut(sql);
    await outbox.ensureSchema();
    manager = new WebhooksOutProcessManager(outbox, { now: () => at });
  });
  afterAll(async () => {
    await sql?.close();
  });

  it("follows every event of the debits' streams, and none of the spending streams", () => {
    expect(manager.filter.streamPrefixes).toContain('debit-');
    expect(manager.filter.streamPrefixes).not.toContain('spending-');
    expect(manager.filter.eventTypes).toEqual(
      expect.arrayContaining(['DebitAuthorised', 'DebitRefused', 'DebitSettled', 'DebitFailed', 'DebitExpired']),
    );
    expect(manager.filter.eventTypes).not.toContain('DebitAmountReserved');
  });

  it("tells the link's app and its account's bank of the authorisation and the settlement, each with the debit view then", async () => {
    const debit = facts('dbt_settles');
    const log = ofDebit(debit.debitId, [authorised(debit), settled(debit)]);
    await apply(log);

    const view = {
      id: debit.debitId,
      linkId: debit.linkId,
      amount: 5000,
      currency: 'JPY',
      reference: debit.reference,
      deviceId: 'device-abc',
      authorisedAt,
      expiresAt,
    };
    for (const audience of [app('app-a'), bank('0001')]) {
      const told = ofThe(debit.debitId, await eventsOf(audience));
      expect(told).toEqual([
        {
          id: webhookEventId(log[0]?.id as string, audience),
          type: 'debit.authorised',
          createdAt: log[0]?.recordedAt.toISOString(),
          data: { ...view, status: 'authorised' },
        },
        {
          id: webhookEventId(log[1]?.id as string, audience),
          type: 'debit.settled',
          createdAt: log[1]?.recordedAt.toISOString(),
          data: { ...view, status: 'settled', settledAt: '2026-11-21T10:03:00.000Z' },
        },
      ]);
    }
    expect(ofThe(debit.debitId, await eventsOf(app('app-b')))).toEqual([]);
    expect(ofThe(debit.debitId, await eventsOf(bank('0005')))).toEqual([]);
    const [cause] = await sql.query<{ cause_stream: string; cause_type: string }>(
      `SELECT cause_stream, cause_type FROM webhook_events WHERE id = $1`,
      [webhookEventId(log[1]?.id as string, app('app-a'))],
    );
    expect(cause).toEqual({ cause_stream: `debit-${debit.debitId}`, cause_type: 'DebitSettled' });
  });

  it('tells a refusal as debit.refused with its code, and a failure and an expiry with theirs', async () => {
    const refused = facts('dbt_refused');
    const failed = facts('dbt_failed');
    const expired = facts('dbt_expired');
    await apply([
      ...ofDebit(refused.debitId, [
        {
          type: 'DebitRefused',
          data: {
            ...refused,
            at: authorisedAt,
            code: 'limit_exceeded',
            detail: 'over the daily limit',
            limit: 'daily',
            remaining: 1200,
          },
        },
      ]),
      ...ofDebit(failed.debitId, [
        authorised(failed),
        {
          type: 'DebitFailed',
          data: { debitId: failed.debitId, linkId: failed.linkId, at: authorisedAt, reason: 'insufficient_funds' },
        },
      ]),
      ...ofDebit(expired.debitId, [
        authorised(expired),
        { type: 'DebitExpired', data: { debitId: expired.debitId, linkId: expired.linkId, at: expiresAt } },
      ]),
    ]);

    const told = await eventsOf(app('app-a'));
    expect(ofThe(refused.debitId, told)).toEqual([
      expect.objectContaining({
        type: 'debit.refused',
        data: expect.objectContaining({
          status: 'refused',
          refusedAt: authorisedAt,
          reason: 'limit_exceeded',
          limit: 'daily',
          remaining: 1200,
        }),
      }),
    ]);
    expect(
      ofThe(failed.debitId, told).map((event) => [event.type, (event.data as { reason?: string }).reason]),
    ).toEqual([
      ['debit.authorised', undefined],
      ['debit.failed', 'insufficient_funds'],
    ]);
    expect(ofThe(expired.debitId, await eventsOf(bank('0001'))).at(-1)).toMatchObject({
      type: 'debit.expired',
      data: { status: 'expired', expiredAt: expiresAt },
    });
  });

  it('knows the app and the bank of a debit whose report comes in a later batch, and of another app and bank', async () => {
    const debit = facts('dbt_later', 'app-b', '0005');
    await apply(ofDebit(debit.debitId, [authorised(debit)]));
    await apply(ofDebit(debit.debitId, [settled(debit)], 1));

    for (const audience of [app('app-b'), bank('0005')]) {
      expect(ofThe(debit.debitId, await eventsOf(audience)).map((event) => event.type)).toEqual([
        'debit.authorised',
        'debit.settled',
      ]);
    }
    expect(ofThe(debit.debitId, await eventsOf(app('app-a')))).toEqual([]);
    expect(ofThe(debit.debitId, await eventsOf(bank('0001')))).toEqual([]);
  });

  it('tells nothing of a report that changes nothing, nor of a debit it never saw begin', async () => {
    const debit = facts('dbt_twice');
    await apply(
      ofDebit(debit.debitId, [
        authorised(debit),
        { type: 'DebitExpired', data: { debitId: debit.debitId, linkId: debit.linkId, at: expiresAt } },
        settled(debit),
      ]),
    );
    const unseen = facts('dbt_unseen');
    await apply(ofDebit(unseen.debitId, [settled(unseen)], 1));

    const told = await eventsOf(app('app-a'));
    expect(ofThe(debit.debitId, told).map((event) => event.type)).toEqual(['debit.authorised', 'debit.expired']);
    expect(ofThe(unseen.debitId, told)).toEqual([]);
  });

  it('decides the same on a replay and on a rebuild from an empty outbox: same ids, same bodies, no more events', async () => {
    const debit = facts('dbt_replayed', 'app-c', '0009');
    const log = ofDebit(debit.debitId, [authorised(debit), settled(debit)]);
    await apply(log);
    const first = await eventsOf(app('app-c'));
    await apply(log);
    expect(await eventsOf(app('app-c'))).toEqual(first);

    const rebuilt = await PgliteSqlClient.open();
    try {
      const freshOutbox = new SqlWebhooksOut(rebuilt);
      await freshOutbox.ensureSchema();
      const fresh = new WebhooksOutProcessManager(freshOutbox, { now: () => at });
      // One event per batch this time: the fold, not the batch, carries the debit's app and bank.
      for (const event of log) await rebuilt.transaction((tx) => fresh.apply([event], tx));
      expect(await eventsOf(app('app-c'), freshOutbox)).toEqual(first);
      expect(first).toHaveLength(2);
    } finally {
      await rebuilt.close();
    }
  });

  it('queues a delivery to each enabled endpoint of the audience taking the type', async () => {
    const endpoint = (endpointId: string, owner: WebhookAudience, eventTypes: string[]) =>
      recorded(`webhook-endpoint-${endpointId}`, 0, 'WebhookEndpointRegistered', {
        endpointId,
        owner,
        url: `https://${owner.id}.example/hooks`,
        eventTypes,
        description: null,
        sealedSecret: 'sealed',
        at: at.toISOString(),
      });
    const debit = facts('dbt_delivered', 'app-d', '0010');
    await apply([
      endpoint('whe_app_d', app('app-d'), ['debit.settled']),
      endpoint('whe_bank_0010', bank('0010'), []),
      ...ofDebit(debit.debitId, [authorised(debit), settled(debit)]),
    ]);
    const deliveries = await sql.query<{ endpoint_id: string; type: string }>(
      `SELECT d.endpoint_id, e.type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
        WHERE d.endpoint_id IN ('whe_app_d', 'whe_bank_0010') ORDER BY e.source_checkpoint, d.endpoint_id`,
    );
    expect(deliveries).toEqual([
      { endpoint_id: 'whe_bank_0010', type: 'debit.authorised' },
      { endpoint_id: 'whe_app_d', type: 'debit.settled' },
      { endpoint_id: 'whe_bank_0010', type: 'debit.settled' },
    ]);
  });
});
