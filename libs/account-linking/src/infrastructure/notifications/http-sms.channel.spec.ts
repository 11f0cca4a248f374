import { NotificationNotDelivered, type OutgoingNotification } from '../../application/ports/notification-channel.port';
import { HttpSmsChannel } from './http-sms.channel';
import { SmsProviderStub } from './testing/sms-provider-stub';

const notification: OutgoingNotification = {
  messageId: 'ntf_sms1',
  linkId: 'lnk_x',
  recipient: { kind: 'sms', phoneNumber: '+819012345678' },
  subject: 'unused by SMS',
  text: '【口座連携のお知らせ】ことりペイとの口座連携の手続きが行われました。',
};

describe('the SMS channel over an HTTP provider API, against a local provider', () => {
  let provider: SmsProviderStub;
  let channel: HttpSmsChannel;

  beforeAll(async () => {
    provider = await SmsProviderStub.start('the-key');
    channel = new HttpSmsChannel({ url: provider.url, apiKey: 'the-key' });
  });
  afterAll(() => provider.close());

  it('posts the text to the number with the key and the message id as Idempotency-Key', async () => {
    await channel.send(notification);
    const sms = await provider.waitForSent((sent) => sent.body.reference === 'ntf_sms1');
    expect(sms.body).toEqual({ to: '+819012345678', text: notification.text, reference: 'ntf_sms1' });
    expect(sms.headers.authorization).toBe('Bearer the-key');
    expect(sms.headers['idempotency-key']).toBe('ntf_sms1');
  });

  it('sends a resent attempt under the same key, which the provider delivers once', async () => {
    const again = { ...notification, messageId: 'ntf_sms_twice' };
    await channel.send(again);
    await channel.send(again);
    expect(provider.requests.filter((call) => call.body.reference === 'ntf_sms_twice')).toHaveLength(2);
    expect(provider.sent.filter((call) => call.body.reference === 'ntf_sms_twice')).toHaveLength(1);
  });

  it('reports a refusal by the provider as not delivered, with its status', async () => {
    provider.failNext(503);
    const error = await channel.send({ ...notification, messageId: 'ntf_sms_503' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(NotificationNotDelivered);
    expect(error.reason).toBe('sms provider answered 503');
  });

  it('reports a wrong key and an unreachable provider as not delivered', async () => {
    const wrongKey = new HttpSmsChannel({ url: provider.url, apiKey: 'wrong' });
    await expect(wrongKey.send(notification)).rejects.toMatchObject({ reason: 'sms provider answered 401' });
    const nowhere = new HttpSmsChannel({ url: 'http://127.0.0.1:1/v1/messages', apiKey: 'k', timeoutMs: 2_000 });
    await expect(nowhere.send(notification)).rejects.toBeInstanceOf(NotificationNotDelivered);
  });

  it('takes only SMS recipients', async () => {
    await expect(
      channel.send({ ...notification, recipient: { kind: 'email', address: 'taro@example.jp' } }),
    ).rejects.toBeInstanceOf(NotificationNotDelivered);
  });
});
