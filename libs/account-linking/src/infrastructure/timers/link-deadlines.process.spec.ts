import { LinkDeadlinesProcessManager } from '../../application/link-deadlines/link-deadlines.process-manager';
import { LinkTimerFiring } from '../../application/link-deadlines/link-timer-firing';
import { linkStream } from '../../application/link-streams';
import { kycMatched, linkRequested, newLinkId, ProcessHarness, TestClock } from '../testing/process-harness';
import { SqlLinkTimers } from './sql-link-timers';
import { DebitRecords } from '../../application/debits/debit-records';

const T0 = '2026-11-21T10:00:00.000Z';
const TTL_END = '2026-11-21T10:30:00.000Z';

describe('link deadlines: durable timers fed by the event log, fired by a poller', () => {
  let harness: ProcessHarness;
  let timers: SqlLinkTimers;
  const clock = new TestClock(new Date(T0));
  const settings = { claimTtlMs: 60_000, batchSize: 10, dormancyDays: 395 };
  const firing = () => new LinkTimerFiring(timers, clock, settings, harness.commands, new DebitRecords(harness.store));

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    timers = new SqlLinkTimers(harness.sql);
    await timers.ensureSchema();
    harness.run(new LinkDeadlinesProcessManager(timers, settings));
  });
  afterAll(() => harness.close());
  beforeEach(() => clock.set(new Date(T0)));

  const timerRow = async (linkId: string, kind: string) =>
    (
      await harness.sql.query<{
        fired_at: Date | null;
        cancelled_at: Date | null;
        outcome: string | null;
        claims: number;
      }>('SELECT fired_at, cancelled_at, outcome, claims FROM link_timers WHERE link_id = $1 AND kind = $2', [
        linkId,
        kind,
      ])
    )[0];

  it('expires a request the bank never answered once its time to live is over, and only then', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [linkRequested(linkId, T0, TTL_END)]);

    clock.set(new Date('2026-11-21T10:29:59.000Z'));
    expect(await firing().fireDue()).toBe(0);

    clock.set(new Date('2026-11-21T10:30:01.000Z'));
    expect(await firing().fireDue()).toBe(1);
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('LinkExpired');
    const [expired] = (await harness.store.readStream(linkStream(linkId))).slice(-1);
    expect(expired?.metadata.actor).toEqual({ type: 'system', id: 'link-expiry-timer' });
    expect(await timerRow(linkId, 'expire')).toMatchObject({ outcome: 'fired; the link is expired' });

    clock.advanceMinutes(60);
    expect(await firing().fireDue()).toBe(0);
    expect((await harness.eventTypes(linkId)).filter((type) => type === 'LinkExpired')).toHaveLength(1);
  });

  it('cancels the expiry once the bank answered', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [
      linkRequested(linkId, T0, TTL_END),
      ...kycMatched(linkId, '2026-11-21T10:05:00.000Z'),
    ]);
    expect(await timerRow(linkId, 'expire')).toMatchObject({ fired_at: null, cancelled_at: expect.any(Date) });
    clock.advanceMinutes(60);
    await firing().fireDue();
    expect(await harness.eventTypes(linkId)).not.toContain('LinkExpired');
  });

  it('activates a link when its cooling-off period ends', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [
      linkRequested(linkId, T0, TTL_END),
      ...kycMatched(linkId, '2026-11-21T10:05:00.000Z', { activation: { coolingOffMinutes: 60 } }),
      {
        type: 'CustomerNotified',
        data: { linkId, at: '2026-11-21T10:06:00.000Z', channel: 'email', deliveredAt: '2026-11-21T10:06:00.000Z' },
      },
      {
        type: 'CoolingOffStarted',
        data: { linkId, at: '2026-11-21T10:06:00.000Z', until: '2026-11-21T11:06:00.000Z' },
      },
    ]);
    clock.set(new Date('2026-11-21T11:05:00.000Z'));
    expect(await firing().fireDue()).toBe(0);
    clock.set(new Date('2026-11-21T11:06:00.000Z'));
    expect(await firing().fireDue()).toBe(1);
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('LinkActivated');
  });

  it('fires nothing for a link revoked during its cooling-off', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [
      linkRequested(linkId, T0, TTL_END),
      ...kycMatched(linkId, '2026-11-21T10:05:00.000Z', { activation: { coolingOffMinutes: 60 } }),
      {
        type: 'CoolingOffStarted',
        data: { linkId, at: '2026-11-21T10:06:00.000Z', until: '2026-11-21T11:06:00.000Z' },
      },
      { type: 'CustomerObjected', data: { linkId, at: '2026-11-21T10:10:00.000Z' } },
      {
        type: 'LinkRevoked',
        data: { linkId, at: '2026-11-21T10:10:00.000Z', by: 'customer', reason: 'customer_objected' },
      },
    ]);
    clock.set(new Date('2026-11-21T12:00:00.000Z'));
    await firing().fireDue();
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('LinkRevoked');
    expect(await timerRow(linkId, 'activate')).toMatchObject({ fired_at: null, cancelled_at: expect.any(Date) });
  });

  it('fires a timer whose worker died after claiming it, once its claim runs out, and only once', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [linkRequested(linkId, T0, TTL_END)]);
    clock.set(new Date('2026-11-21T10:31:00.000Z'));
    // A worker claims the timer and dies before firing it.
    await timers.claimDue(clock.now(), new Date('2026-11-21T10:32:00.000Z'), 10);
    expect(await firing().fireDue()).toBe(0);

    clock.set(new Date('2026-11-21T10:32:00.000Z'));
    expect(await firing().fireDue()).toBe(1);
    expect((await harness.eventTypes(linkId)).filter((type) => type === 'LinkExpired')).toHaveLength(1);
    expect(await timerRow(linkId, 'expire')).toMatchObject({ claims: 2, outcome: 'fired; the link is expired' });
  });

  it('marks fired a timer whose command the link refuses for good, and fires it no more', async () => {
    const linkId = newLinkId();
    // A timer with no link behind it (its stream was never written): the command is refused as not found.
    await harness.sql.transaction((tx) => timers.schedule(tx, linkId, 'expire', new Date(TTL_END)));
    clock.set(new Date('2026-11-21T10:31:00.000Z'));
    expect(await firing().fireDue()).toBe(1);
    expect(await timerRow(linkId, 'expire')).toMatchObject({ outcome: 'refused: link_not_found' });
    clock.advanceMinutes(10);
    expect(await firing().fireDue()).toBe(0);
  });

  it('schedules nothing twice when the whole log is replayed into it', async () => {
    const linkId = newLinkId();
    await harness.append(linkId, [linkRequested(linkId, T0, TTL_END)]);
    clock.set(new Date('2026-11-21T10:31:00.000Z'));
    await firing().fireDue();
    const rebuilt = new ProcessHarnessRebuild(harness, timers);
    await rebuilt.replayAll();
    clock.advanceMinutes(5);
    expect(await firing().fireDue()).toBe(0);
    expect((await harness.eventTypes(linkId)).filter((type) => type === 'LinkExpired')).toHaveLength(1);
  });
});

/** Replays the whole log into a fresh deadlines process manager, as a rebuild would. */
class ProcessHarnessRebuild {
  constructor(
    private readonly harness: ProcessHarness,
    private readonly timers: SqlLinkTimers,
  ) {}

  async replayAll(): Promise<void> {
    const manager = new LinkDeadlinesProcessManager(this.timers, { dormancyDays: 395 });
    const { events } = await this.harness.store.readAll(undefined, 100_000, manager.filter);
    await this.harness.sql.transaction((tx) => manager.apply(events, tx));
  }
}
