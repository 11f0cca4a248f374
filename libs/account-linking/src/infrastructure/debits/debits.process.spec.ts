import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { DebitRecords } from '../../application/debits/debit-records';
import { debitRecordEventId, debitStream, spendingStream } from '../../application/debits/debit-streams';
import { DebitExpiry } from '../../application/debits/debit-expiry';
import { DebitsProcessManager } from '../../application/debits/debits.process-manager';
import type { DebitAmountReserved } from '../../domain/debit/spending.events';
import { ProcessHarness, TestClock } from '../testing/process-harness';
import { SqlKeyedTimers } from '../timers/sql-keyed-timers';

const AT = '2026-12-01T03:00:00.000Z';
const metadata: EventMetadata = {
  actor: { type: 'payment_app', id: 'app' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: AT,
};

const reservation = (linkId: string, debitId: string, amount = 1000): DebitAmountReserved => ({
  type: 'DebitAmountReserved',
  data: {
    debitId,
    linkId,
    paymentAppId: 'app',
    bankCode: '0001',
    amount,
    currency: 'JPY',
    reference: 'charge',
    deviceId: 'device-1',
    at: AT,
    expiresAt: '2026-12-01T03:10:00.000Z',
    day: '2026-12-01',
    month: '2026-12',
  },
});

/**
 * A debit's two writes (the totals, then its own stream) and what follows it, across a crash: the process
 * manager finishes what the request did not, and the expiry timer ends what the bank never reported.
 */
describe('the debits process manager, durably', () => {
  let harness: ProcessHarness;
  let timers: SqlKeyedTimers;
  const clock = new TestClock(new Date(AT));

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    timers = new SqlKeyedTimers(harness.sql, {
      table: 'debit_expiry_timers',
      keyColumn: 'debit_id',
      subjectColumn: 'link_id',
    });
    await timers.ensureSchema();
    harness.run(new DebitsProcessManager(new DebitRecords(harness.store), timers));
  });
  afterAll(() => harness.close());

  const types = async (stream: string) => (await harness.store.readStream(stream)).map((event) => event.type);
  const appendReservation = async (event: DebitAmountReserved) => {
    const result = await harness.store.appendToStream(
      spendingStream(event.data.linkId),
      [{ id: randomUUID(), type: event.type, data: event.data, metadata }],
      'any',
    );
    await harness.settle(result.checkpoint);
  };

  it('records the debit’s own stream when the request stopped after the totals (a crash in between)', async () => {
    const linkId = `lnk_${randomUUID()}`;
    const debitId = `dbt_${randomUUID()}`;
    await appendReservation(reservation(linkId, debitId));
    await harness.settle();
    const [recorded] = await harness.store.readStream(debitStream(debitId));
    expect(recorded).toMatchObject({
      id: debitRecordEventId(debitId),
      type: 'DebitAuthorised',
      data: { debitId, linkId, amount: 1000, at: AT, expiresAt: '2026-12-01T03:10:00.000Z' },
      metadata: { actor: { type: 'system', id: 'debits' } },
    });
    expect(recorded?.data).not.toHaveProperty('day');
  });

  it('writes one event when the request recorded the debit itself (same event id)', async () => {
    const linkId = `lnk_${randomUUID()}`;
    const debitId = `dbt_${randomUUID()}`;
    const event = reservation(linkId, debitId);
    const { day: _d, month: _m, ...debit } = event.data;
    await harness.store.appendToStream(
      debitStream(debitId),
      [{ id: debitRecordEventId(debitId), type: 'DebitAuthorised', data: debit, metadata }],
      'no_stream',
    );
    await appendReservation(event);
    await harness.settle();
    expect(await types(debitStream(debitId))).toEqual(['DebitAuthorised']);
  });

  it('expires an unreported authorisation by its timer and releases it from the totals, once', async () => {
    const linkId = `lnk_${randomUUID()}`;
    const debitId = `dbt_${randomUUID()}`;
    await appendReservation(reservation(linkId, debitId));
    await harness.settle();
    const expiry = new DebitExpiry(
      timers,
      clock,
      { claimTtlMs: 60_000, batchSize: 50, dormancyDays: 395 },
      new DebitRecords(harness.store),
    );
    expect(await expiry.fireDue()).toBe(0);
    clock.set(new Date('2026-12-01T03:10:00.000Z'));
    expect(await expiry.fireDue()).toBeGreaterThan(0);
    await harness.settle();
    expect(await types(debitStream(debitId))).toEqual(['DebitAuthorised', 'DebitExpired']);
    expect(await types(spendingStream(linkId))).toEqual(['DebitAmountReserved', 'DebitAmountReleased']);
    // The timer fired for good: firing again finds nothing of it.
    await expiry.fireDue();
    await harness.settle();
    expect(await types(debitStream(debitId))).toEqual(['DebitAuthorised', 'DebitExpired']);
  });

  it('cancels the timer of a debit its bank settled', async () => {
    const linkId = `lnk_${randomUUID()}`;
    const debitId = `dbt_${randomUUID()}`;
    await appendReservation(reservation(linkId, debitId));
    await harness.settle();
    const records = new DebitRecords(harness.store);
    const { append } = await records.decide(
      debitId,
      { type: 'SettleDebit', data: { now: AT, settledAt: AT } },
      metadata,
    );
    await harness.settle(append?.checkpoint);
    const [row] = await harness.sql.query<{ cancelled_at: Date | null }>(
      'SELECT cancelled_at FROM debit_expiry_timers WHERE debit_id = $1',
      [debitId],
    );
    expect(row?.cancelled_at).not.toBeNull();
  });
});
