import { NotificationNotDelivered, type OutgoingNotification } from '../../application/ports/notification-channel.port';
import { SmtpEmailChannel } from './smtp-email.channel';
import { SmtpInbox } from './testing/smtp-inbox';

const notification: OutgoingNotification = {
  messageId: 'ntf_abc123',
  linkId: 'lnk_x',
  recipient: { kind: 'email', address: 'taro@bank-customer.example' },
  subject: '【口座連携のお知らせ】ことりペイとの口座連携の手続きが行われました',
  text: '口座連携の手続きが行われましたのでお知らせします。\n\n口座：金融機関コード0001 支店コード001 普通 ****4567',
};

describe('the e-mail channel over SMTP, against a real SMTP server', () => {
  let inbox: SmtpInbox;
  let channel: SmtpEmailChannel;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    channel = new SmtpEmailChannel({ url: inbox.url, from: 'Kouza Link <no-reply@kouza-link.example>' });
  });
  afterAll(async () => {
    channel.close();
    await inbox.close();
  });

  it('delivers the Japanese text to the recipient, as plain text, from the configured sender', async () => {
    await channel.send(notification);
    const email = await inbox.waitFor((received) => received.messageId === '<ntf_abc123@kouza-link.example>');
    expect(email.envelopeTo).toEqual(['taro@bank-customer.example']);
    expect(email.from).toContain('no-reply@kouza-link.example');
    expect(email.subject).toBe(notification.subject);
    expect(email.text).toBe(notification.text);
    expect(email.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/i);
    expect(email.headers['auto-submitted']).toBe('auto-generated');
  });

  it('sends a resent attempt under the same Message-ID, so the mail client shows it once', async () => {
    const again = { ...notification, messageId: 'ntf_twice' };
    await channel.send(again);
    await channel.send(again);
    const copies = inbox.received.filter((email) => email.messageId === '<ntf_twice@kouza-link.example>');
    expect(copies).toHaveLength(2);
    expect(inbox.messages().filter((email) => email.messageId === '<ntf_twice@kouza-link.example>')).toHaveLength(1);
  });

  it('reports a refused recipient as not delivered, in codes without the address', async () => {
    inbox.refuseNext(1);
    const refused = await channel.send({ ...notification, messageId: 'ntf_refused' }).catch((error) => error);
    expect(refused).toBeInstanceOf(NotificationNotDelivered);
    expect(refused.reason).toBe('smtp EENVELOPE 550');
    expect(refused.reason).not.toContain('taro');
  });

  it('reports an unreachable server as not delivered', async () => {
    const nowhere = new SmtpEmailChannel({
      url: 'smtp://127.0.0.1:1',
      from: 'no-reply@kouza-link.example',
      timeoutMs: 2_000,
    });
    const error = await nowhere.send(notification).catch((caught) => caught);
    expect(error).toBeInstanceOf(NotificationNotDelivered);
    expect(error.reason).toMatch(/^smtp E/);
  });

  it('takes only e-mail recipients', async () => {
    await expect(
      channel.send({ ...notification, recipient: { kind: 'sms', phoneNumber: '+819012345678' } }),
    ).rejects.toBeInstanceOf(NotificationNotDelivered);
  });
});
