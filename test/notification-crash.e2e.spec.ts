import { randomUUID } from 'node:crypto';
import {
  NOTIFICATION_ROUTES,
  type NotificationChannel,
  type OutgoingNotification,
} from '@lib/account-linking/application/ports/notification-channel.port';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import { SmtpEmailChannel } from '@lib/account-linking/infrastructure/notifications/smtp-email.channel';
import { SmtpInbox } from '@lib/account-linking/infrastructure/notifications/testing/smtp-inbox';
import { eventually } from './support/eventually';
import { type ServiceUnderTest, startService } from './support/service-under-test';

class WorkerKilled extends Error {
  override readonly name = 'WorkerKilled';
}

/**
 * The worker dies the moment the SMTP server has taken the message: nothing after the send runs, and the
 * dead worker sends nothing more. The database is left exactly as a kill at that point leaves it.
 */
class KilledAfterSend implements NotificationChannel {
  private dead = false;
  constructor(private readonly inner: NotificationChannel) {}
  get name() {
    return this.inner.name;
  }
  async send(notification: OutgoingNotification): Promise<void> {
    if (this.dead) throw new WorkerKilled();
    await this.inner.send(notification);
    this.dead = true;
    throw new WorkerKilled();
  }
}

const SERVICE_NOTIFIES: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};
const FROM = 'Kouza Link <no-reply@kouza-link.example>';
const ADDRESS = { postalCode: '100-0001', prefecture: '東京都', line: '千代田区千代田1-1' };

describe('a worker killed between sending the notification and recording it, on the embedded default', () => {
  let inbox: SmtpInbox;
  let first: ServiceUnderTest | undefined;
  let second: ServiceUnderTest | undefined;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await inbox.close();
  });

  it('after a restart, the customer has one message for that attempt and the link still becomes active', async () => {
    const env = { SMTP_URL: inbox.url, SMTP_FROM: FROM, WORK_CLAIM_TTL_SECONDS: '2' };
    first = await startService('embedded PGlite', {
      processes: 'running',
      env,
      keepDataDir: true,
      override: (builder) =>
        builder
          .overrideProvider(NOTIFICATION_ROUTES)
          .useValue({ email: new KilledAfterSend(new SmtpEmailChannel({ url: inbox.url, from: FROM })) }),
    });
    const secret = await first.registerBank('0007', SERVICE_NOTIFIES);
    const token = await first.token();
    const created = await first.app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        customer: { reference: `user-${randomUUID()}` },
        ekyc: {
          method: 'jpki',
          verifiedAt: '2026-11-20T10:00:00Z',
          name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
          birthDate: '1990-01-02',
          phone: '090-1234-5678',
          address: ADDRESS,
        },
        bankAccount: { bankCode: '0007', branchCode: '001', type: 'ordinary', number: '2718281' },
        device: { id: 'device-abc' },
      },
    });
    const linkId = created.json().id;
    const webhook = await first.sendBankEvent(
      {
        type: 'authentication.succeeded',
        data: {
          linkId,
          methods: ['password', 'otp_app'],
          holder: {
            name: { kanji: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' },
            birthDate: '1990-01-02',
            phone: '09012345678',
            address: ADDRESS,
          },
          contact: { email: 'jiro.at.bank@example.jp' },
          authenticatedAt: new Date().toISOString(),
        },
      },
      { bankCode: '0007', secret },
    );
    expect(webhook.statusCode).toBe(204);

    const sent = await inbox.waitFor((email) => email.envelopeTo.includes('jiro.at.bank@example.jp'));
    expect(await first.eventTypesOf(`link-${linkId}`)).not.toContain('CustomerNotified');
    await first.close();
    const dataDir = first.dataDir;
    first = undefined;

    second = await startService('embedded PGlite', { env, dataDir, processes: 'running' });
    const again = await second.token();
    await eventually(async () => {
      const link = await second?.app.inject({
        method: 'GET',
        url: `/v1/links/${linkId}`,
        headers: { authorization: `Bearer ${again}` },
      });
      expect(link?.json().status).toBe('active');
    });

    const copies = inbox.received.filter((email) => email.envelopeTo.includes('jiro.at.bank@example.jp'));
    // Nothing recorded that the SMTP server took it, so the restarted worker sent it again, under the same
    // Message-ID: the customer's mail client shows one message for the attempt.
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((email) => email.messageId))).toEqual(new Set([sent.messageId]));
    expect(inbox.messages().filter((email) => email.envelopeTo.includes('jiro.at.bank@example.jp'))).toHaveLength(1);
    const types = await second.eventTypesOf(`link-${linkId}`);
    expect(types.filter((type) => type === 'CustomerNotified')).toHaveLength(1);
    expect(types.filter((type) => type === 'CustomerNotificationAttemptFailed')).toHaveLength(0);
  });
});
