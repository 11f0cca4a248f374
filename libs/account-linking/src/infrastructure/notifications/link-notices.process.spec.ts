import { DEFAULT_NOTIFICATION_DISPATCH_SETTINGS } from '../../application/customer-notification/notification-dispatch-settings';
import { LinkNoticeDispatcher } from '../../application/customer-notification/link-notice-dispatcher';
import { LinkNoticesProcessManager } from '../../application/customer-notification/link-notices.process-manager';
import {
  type NotificationChannel,
  NotificationNotDelivered,
  type OutgoingNotification,
} from '../../application/ports/notification-channel.port';
import type { LinkEvent } from '../../domain/link/link-events';
import {
  kycMatched,
  linkRequested,
  newLinkId,
  ProcessHarness,
  TestClock,
  transparentVault,
} from '../testing/process-harness';
import { SqlLinkNoticeOutbox } from './sql-link-notice-outbox';

const T0 = '2026-11-21T10:00:00.000Z';
const REBOUND_AT = '2026-11-22T09:00:00.000Z';

class RecordingChannel implements NotificationChannel {
  readonly sent: OutgoingNotification[] = [];
  refusals = 0;
  constructor(readonly name: string) {}
  async send(notification: OutgoingNotification): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new NotificationNotDelivered('mailbox unavailable');
    }
    this.sent.push(notification);
  }
}

const rebound = (linkId: string, customerNotifiedBy: 'service' | 'bank'): LinkEvent => ({
  type: 'LinkDeviceRebound',
  data: {
    linkId,
    at: REBOUND_AT,
    deviceId: 'device-2',
    previousDeviceId: 'device-1',
    methods: ['password', 'otp_app'],
    factorKinds: ['knowledge', 'possession'],
    phishingResistant: false,
    authenticatedAt: REBOUND_AT,
    customerNotifiedBy,
  },
});

describe('link notices: a re-bound device told at the bank-registered contact, durably (R9, R4)', () => {
  let harness: ProcessHarness;
  let outbox: SqlLinkNoticeOutbox;
  const clock = new TestClock(new Date(REBOUND_AT));
  const email = new RecordingChannel('email');
  const dispatcher = () =>
    new LinkNoticeDispatcher(
      outbox,
      { email },
      transparentVault,
      { displayNameOf: async () => 'ことりペイ' },
      harness.store,
      clock,
      { ...DEFAULT_NOTIFICATION_DISPATCH_SETTINGS, retryInitialMs: 60_000 },
    );

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    outbox = new SqlLinkNoticeOutbox(harness.sql);
    await outbox.ensureSchema();
    harness.run(new LinkNoticesProcessManager(outbox));
  });
  afterAll(() => harness.close());

  const reboundLink = async (customerNotifiedBy: 'service' | 'bank', contact = { email: 'taro@bank.example' }) => {
    const linkId = newLinkId();
    await harness.append(linkId, [
      linkRequested(linkId, T0, '2026-11-21T10:30:00.000Z'),
      ...kycMatched(linkId, T0, { contact: await transparentVault.seal('s', contact) }),
      { type: 'CustomerNotified', data: { linkId, at: T0, channel: 'email', deliveredAt: T0 } },
      { type: 'LinkActivated', data: { linkId, at: T0 } },
      rebound(linkId, customerNotifiedBy),
    ]);
    return linkId;
  };
  const rows = (linkId: string) =>
    harness.sql.query<{ status: string; attempt: number }>(
      'SELECT status, attempt FROM link_notice_outbox WHERE link_id = $1',
      [linkId],
    );

  it('sends the Japanese notice to the contact the bank reported at linking, once, however often the event is replayed', async () => {
    const linkId = await reboundLink('service');
    clock.set(new Date(REBOUND_AT));
    await dispatcher().dispatchDue();
    const mine = email.sent.filter((sent) => sent.linkId === linkId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ recipient: { kind: 'email', address: 'taro@bank.example' } });
    expect(mine[0]?.text).toContain('端末が変更されました');
    expect(await rows(linkId)).toEqual([{ status: 'delivered', attempt: 1 }]);

    // A rebuild replays the event: the notice is found queued already and nothing is sent again.
    const [recorded] = (await harness.store.readStream(`link-${linkId}`)).slice(-1);
    await new LinkNoticesProcessManager(outbox).apply([recorded!], harness.sql);
    await dispatcher().dispatchDue();
    expect(email.sent.filter((sent) => sent.linkId === linkId)).toHaveLength(1);
  });

  it('queues nothing where the bank tells its customers itself', async () => {
    const linkId = await reboundLink('bank');
    expect(await rows(linkId)).toEqual([]);
  });

  it('retries a refused delivery with backoff and delivers it later', async () => {
    email.refusals = 1;
    const linkId = await reboundLink('service');
    clock.set(new Date(REBOUND_AT));
    await dispatcher().dispatchDue();
    expect(await rows(linkId)).toEqual([{ status: 'pending', attempt: 2 }]);
    clock.advanceMinutes(5);
    await dispatcher().dispatchDue();
    expect(await rows(linkId)).toEqual([{ status: 'delivered', attempt: 2 }]);
    expect(email.sent.filter((sent) => sent.linkId === linkId)).toHaveLength(1);
  });

  it('fails the notice at once when the bank reported no usable contact', async () => {
    const linkId = await reboundLink('service', { email: 'not an address' });
    clock.set(new Date(REBOUND_AT));
    await dispatcher().dispatchDue();
    expect(await rows(linkId)).toEqual([{ status: 'failed', attempt: 1 }]);
  });
});
