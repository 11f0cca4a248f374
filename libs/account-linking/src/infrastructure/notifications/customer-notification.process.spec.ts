import type { CommandBus } from '@nestjs/cqrs';
import { CustomerNotificationProcessManager } from '../../application/customer-notification/customer-notification.process-manager';
import {
  DEFAULT_NOTIFICATION_DISPATCH_SETTINGS,
  type NotificationDispatchSettings,
} from '../../application/customer-notification/notification-dispatch-settings';
import { NotificationDispatcher } from '../../application/customer-notification/notification-dispatcher';
import { linkStream } from '../../application/link-streams';
import {
  type NotificationChannel,
  NotificationNotDelivered,
  type NotificationRoutes,
  type OutgoingNotification,
} from '../../application/ports/notification-channel.port';
import {
  kycMatched,
  linkRequested,
  newLinkId,
  ProcessHarness,
  TestClock,
  transparentVault,
} from '../testing/process-harness';
import { SqlNotificationOutbox } from './sql-notification-outbox';

const T0 = '2026-11-21T10:00:00.000Z';
const MATCHED_AT = '2026-11-21T10:05:00.000Z';
const TTL_END = '2026-11-21T10:30:00.000Z';

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

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/** The worker dies right after the channel took the message: nothing after the send happens. */
class CrashAfterSend implements NotificationChannel {
  constructor(private readonly inner: NotificationChannel) {}
  get name() {
    return this.inner.name;
  }
  async send(notification: OutgoingNotification): Promise<void> {
    await this.inner.send(notification);
    throw new SimulatedCrash();
  }
}

const sealed = (contact: object) => transparentVault.seal('subject', contact);

describe('customer notification: outbox fed by the event log, delivered through the channels, recorded on the link', () => {
  let harness: ProcessHarness;
  let outbox: SqlNotificationOutbox;
  const clock = new TestClock(new Date(MATCHED_AT));
  const email = new RecordingChannel('email');
  const sms = new RecordingChannel('sms');
  const sandbox = new RecordingChannel('sandbox_outbox');
  const routes: NotificationRoutes = { email, sms, sandbox: { bankCodes: ['9900'], channel: sandbox } };
  const settings: NotificationDispatchSettings = {
    ...DEFAULT_NOTIFICATION_DISPATCH_SETTINGS,
    retryInitialMs: 60_000,
    claimTtlMs: 60_000,
  };
  const appNames = { displayNameOf: async (id: string) => (id === 'kotori-pay' ? 'ことりペイ' : undefined) };

  const outcomes: string[] = [];
  const dispatcher = (options: { routes?: NotificationRoutes; commands?: CommandBus } = {}) =>
    new NotificationDispatcher(
      outbox,
      options.routes ?? routes,
      transparentVault,
      appNames,
      harness.store,
      clock,
      settings,
      options.commands ?? harness.commands,
      { record: (outcome, channel) => outcomes.push(`${outcome}:${channel ?? 'none'}`) },
    );

  beforeAll(async () => {
    harness = await ProcessHarness.open();
    outbox = new SqlNotificationOutbox(harness.sql);
    await outbox.ensureSchema();
    harness.run(new CustomerNotificationProcessManager(outbox));
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    clock.set(new Date('2026-11-21T10:05:01.000Z'));
    outcomes.length = 0;
    for (const channel of [email, sms, sandbox]) {
      channel.sent.length = 0;
      channel.refusals = 0;
    }
  });

  async function matchedLink(
    contact: object | undefined,
    options: { notifiedBy?: 'service' | 'bank'; bankCode?: string; coolingOffMinutes?: number } = {},
  ) {
    const linkId = newLinkId();
    await harness.append(linkId, [
      linkRequested(linkId, T0, TTL_END, options.bankCode ? { bankCode: options.bankCode } : {}),
      ...kycMatched(linkId, MATCHED_AT, {
        ...(options.notifiedBy ? { notifiedBy: options.notifiedBy } : {}),
        ...(contact ? { contact: await sealed(contact) } : {}),
        activation: { coolingOffMinutes: options.coolingOffMinutes ?? 0 },
      }),
    ]);
    return linkId;
  }
  const rows = (linkId: string) =>
    harness.sql.query<{ attempt: number; status: string; next_attempt_at: Date; message_id: string }>(
      'SELECT attempt, status, next_attempt_at, message_id FROM notification_outbox WHERE link_id = $1 ORDER BY attempt',
      [linkId],
    );
  const sentTo = (channel: RecordingChannel, linkId: string) => channel.sent.filter((sent) => sent.linkId === linkId);

  it('e-mails the address the bank reported, in Japanese, then records the delivery and the link becomes active', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example', phone: '090-1111-2222' });
    expect(await dispatcher().dispatchDue()).toBe(1);

    const [message] = sentTo(email, linkId);
    expect(message?.recipient).toEqual({ kind: 'email', address: 'taro@bank-registered.example' });
    expect(message?.text).toContain('ことりペイ');
    expect(message?.text).toContain('金融機関コード0001 支店コード123 普通 ****4567');
    expect(message?.text).toContain('2026年11月21日 19時05分（日本時間）');
    expect(await harness.eventTypes(linkId)).toEqual(expect.arrayContaining(['CustomerNotified', 'LinkActivated']));
    const notified = (await harness.store.readStream(linkStream(linkId))).find((e) => e.type === 'CustomerNotified');
    expect(notified?.data).toMatchObject({ channel: 'email' });
    expect(notified?.metadata.actor).toEqual({ type: 'system', id: 'customer-notifier' });
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['delivered']);
    expect(outcomes).toEqual(['delivered:email']);
  });

  it('texts the phone number the bank reported when it has no e-mail address, in E.164', async () => {
    const linkId = await matchedLink({ phone: '090-1234-5678' });
    await dispatcher().dispatchDue();
    const [message] = sentTo(sms, linkId);
    expect(message?.recipient).toEqual({ kind: 'sms', phoneNumber: '+819012345678' });
    expect(message?.text).toMatch(/^【口座連携のお知らせ】/);
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('LinkActivated');
  });

  it('goes on to the cooling-off the bank wants instead of activating', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' }, { coolingOffMinutes: 60 });
    await dispatcher().dispatchDue();
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('CoolingOffStarted');
  });

  it('queues nothing when the bank tells its customer itself', async () => {
    const linkId = await matchedLink(undefined, { notifiedBy: 'bank' });
    await dispatcher().dispatchDue();
    expect(await rows(linkId)).toEqual([]);
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('CustomerNotificationRequested');
  });

  it('puts the sandbox bank’s notifications in the sandbox outbox, whatever the contact', async () => {
    const linkId = await matchedLink({ email: 'taro@sandbox-bank.example' }, { bankCode: '9900' });
    await dispatcher().dispatchDue();
    expect(sentTo(sandbox, linkId)).toHaveLength(1);
    expect(sentTo(email, linkId)).toHaveLength(0);
    const notified = (await harness.store.readStream(linkStream(linkId))).find((e) => e.type === 'CustomerNotified');
    expect(notified?.data).toMatchObject({ channel: 'sandbox_outbox' });
  });

  it('retries a refused message with growing, jittered backoff, records every attempt, and rejects the link after the last', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    email.refusals = 5;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await dispatcher().dispatchDue()).toBe(1);
      const next = (await rows(linkId)).at(-1);
      if (attempt < 5) {
        expect(next).toMatchObject({ attempt: attempt + 1, status: 'pending' });
        const wait = (next?.next_attempt_at.getTime() ?? 0) - clock.now().getTime();
        waits.push(wait);
        // Nothing is sent before the backoff is over.
        expect(await dispatcher().dispatchDue()).toBe(0);
        clock.set(next?.next_attempt_at ?? clock.now());
      }
    }
    waits.forEach((wait, i) => {
      const ceiling = 60_000 * 2 ** i;
      expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait).toBeLessThanOrEqual(ceiling);
    });
    const events = await harness.store.readStream(linkStream(linkId));
    expect(
      events
        .filter((e) => e.type === 'CustomerNotificationAttemptFailed')
        .map((e) => (e.data as { attempt: number }).attempt),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(events.at(-1)).toMatchObject({ type: 'LinkRejected', data: { reason: 'notification_failed' } });
    const attempts = await rows(linkId);
    expect(attempts.map((row) => row.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    expect(outcomes).toEqual([...Array(4).fill('retried:email'), 'failed:email']);
    expect(new Set(attempts.map((row) => row.message_id)).size).toBe(5);
  });

  it('delivers on a later attempt after earlier ones were refused', async () => {
    const linkId = await matchedLink({ phone: '+819012345678' });
    sms.refusals = 2;
    for (let round = 0; round < 3; round++) {
      await dispatcher().dispatchDue();
      clock.advanceMinutes(10);
    }
    expect(sentTo(sms, linkId)).toHaveLength(1);
    expect((await harness.eventTypes(linkId)).slice(-2)).toEqual(['CustomerNotified', 'LinkActivated']);
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['failed', 'failed', 'delivered']);
  });

  it('after a crash between sending and recording, sends the same attempt again under the same message id, and records it once', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    const crashing = dispatcher({ routes: { ...routes, email: new CrashAfterSend(email) } });
    await crashing.dispatchDue();
    expect(sentTo(email, linkId)).toHaveLength(1);
    expect((await harness.eventTypes(linkId)).at(-1)).toBe('CustomerNotificationRequested');

    // A restarted worker waits for the dead one's claim to run out, then takes the message over.
    expect(await dispatcher().dispatchDue()).toBe(0);
    clock.advanceMinutes(2);
    expect(await dispatcher().dispatchDue()).toBe(1);

    const sent = sentTo(email, linkId);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((message) => message.messageId)).size).toBe(1);
    const types = await harness.eventTypes(linkId);
    expect(types.filter((type) => type === 'CustomerNotified')).toHaveLength(1);
    expect(types.at(-1)).toBe('LinkActivated');
  });

  it('after a crash once the channel’s acceptance was stored, records the delivery without sending again', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    const failingOnce = {
      execute: async () => {
        throw new SimulatedCrash();
      },
    } as unknown as CommandBus;
    await dispatcher({ commands: failingOnce }).dispatchDue();
    expect(sentTo(email, linkId)).toHaveLength(1);
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['sent']);

    clock.advanceMinutes(2);
    await dispatcher().dispatchDue();
    expect(sentTo(email, linkId)).toHaveLength(1);
    expect((await harness.eventTypes(linkId)).slice(-2)).toEqual(['CustomerNotified', 'LinkActivated']);
  });

  it('drops a queued notification once the link is revoked, and sends nothing', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    await harness.append(linkId, [
      { type: 'LinkRevoked', data: { linkId, at: MATCHED_AT, by: 'payment_app', reason: 'user asked' } },
    ]);
    await dispatcher().dispatchDue();
    expect(sentTo(email, linkId)).toEqual([]);
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['cancelled']);
  });

  it('rejects the link at once when the bank reported no contact to notify', async () => {
    const linkId = await matchedLink(undefined);
    await dispatcher().dispatchDue();
    const events = await harness.store.readStream(linkStream(linkId));
    expect(events.at(-2)).toMatchObject({ type: 'CustomerNotificationAttemptFailed', data: { attempt: 1 } });
    expect(events.at(-1)).toMatchObject({ type: 'LinkRejected', data: { reason: 'notification_failed' } });
  });

  it('counts a missing channel as a failed attempt, to be retried', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    await dispatcher({ routes: { sms } }).dispatchDue();
    const events = await harness.store.readStream(linkStream(linkId));
    expect(events.at(-1)).toMatchObject({
      type: 'CustomerNotificationAttemptFailed',
      data: { attempt: 1, reason: 'no email channel is configured' },
    });
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['failed', 'pending']);
  });

  it('queues nothing again when the whole log is replayed into it', async () => {
    const linkId = await matchedLink({ email: 'taro@bank-registered.example' });
    await dispatcher().dispatchDue();
    const manager = new CustomerNotificationProcessManager(outbox);
    const { events } = await harness.store.readAll(undefined, 100_000, manager.filter);
    await harness.sql.transaction((tx) => manager.apply(events, tx));
    clock.advanceMinutes(5);
    await dispatcher().dispatchDue();
    expect(sentTo(email, linkId)).toHaveLength(1);
    expect((await rows(linkId)).map((row) => row.status)).toEqual(['delivered']);
  });
});
