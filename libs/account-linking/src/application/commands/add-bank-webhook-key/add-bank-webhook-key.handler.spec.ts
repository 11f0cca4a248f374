import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { BankEvent } from '../../../domain/bank/bank.events';
import {
  type BankHandlerSpecification,
  bankHandlerSpecification,
  bankRegistered,
  EARLIER,
  fakeSealer,
  operatorMetadata,
  SPEC_NOW,
} from '../../testing/bank-handler-specification';
import { AddBankWebhookKeyCommand, type AddedWebhookKey } from './add-bank-webhook-key.command';
import { AddBankWebhookKeyHandler } from './add-bank-webhook-key.handler';

const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

describe.each(SQL_BACKENDS)('adding a webhook key to a bank, on $name', (backend) => {
  let spec: BankHandlerSpecification;
  beforeAll(async () => {
    spec = await bankHandlerSpecification(backend, [AddBankWebhookKeyHandler]);
  });
  afterAll(() => spec.close());

  it('appends the key with its material sealed, never in the clear', async () => {
    const sealed = await fakeSealer.seal('0201', SECRET);
    const added = (await spec
      .given('0201', [bankRegistered('0201')])
      .when(
        new AddBankWebhookKeyCommand(
          '0201',
          { keyId: 'hmac-1', kind: 'hmac', material: SECRET, notBefore: '2026-01-01T00:00:00Z' },
          operatorMetadata,
        ),
      )
      .then([
        {
          type: 'BankWebhookKeyAdded',
          data: {
            bankCode: '0201',
            keyId: 'hmac-1',
            kind: 'hmac',
            ...sealed,
            notBefore: '2026-01-01T00:00:00.000Z',
            notAfter: null,
            secretGenerated: false,
            at: SPEC_NOW,
          },
        },
      ])) as AddedWebhookKey;
    expect(added).toEqual({
      key: {
        keyId: 'hmac-1',
        kind: 'hmac',
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: null,
        createdAt: SPEC_NOW,
      },
    });
    expect(JSON.stringify(await spec.eventsOf('0201'))).not.toContain(SECRET);
  });

  it('generates an HMAC secret when none is given, and answers it once', async () => {
    const generated = (await spec
      .given('0203', [bankRegistered('0203')])
      .when(new AddBankWebhookKeyCommand('0203', { keyId: 'generated', kind: 'hmac' }, operatorMetadata))
      .then([
        expect.objectContaining({
          type: 'BankWebhookKeyAdded',
          data: expect.objectContaining({ keyId: 'generated', secretGenerated: true }),
        }) as BankEvent,
      ])) as AddedWebhookKey;
    expect(generated.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await spec.eventsOf('0203'))).not.toContain(generated.secret);
  });

  it('refuses an id the bank already has, and a bank that is not registered, writing nothing', async () => {
    const existing = await fakeSealer.seal('0204', SECRET);
    await spec
      .given('0204', [
        bankRegistered('0204'),
        {
          type: 'BankWebhookKeyAdded',
          data: {
            bankCode: '0204',
            keyId: 'k1',
            kind: 'hmac',
            ...existing,
            notBefore: null,
            notAfter: null,
            secretGenerated: false,
            at: EARLIER,
          },
        },
      ])
      .when(new AddBankWebhookKeyCommand('0204', { keyId: 'k1', kind: 'hmac' }, operatorMetadata))
      .thenThrows('webhook_key_exists');
    await spec
      .given('0205', [])
      .when(new AddBankWebhookKeyCommand('0205', { keyId: 'k1', kind: 'hmac' }, operatorMetadata))
      .thenThrows('unknown_bank');
  });
});
