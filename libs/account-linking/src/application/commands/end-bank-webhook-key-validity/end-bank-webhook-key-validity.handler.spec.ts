import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { BankEvent } from '../../../domain/bank/bank.events';
import {
  type BankHandlerSpecification,
  bankHandlerSpecification,
  bankRegistered,
  EARLIER,
  operatorMetadata,
  SPEC_NOW,
} from '../../testing/bank-handler-specification';
import { EndBankWebhookKeyValidityCommand } from './end-bank-webhook-key-validity.command';
import { EndBankWebhookKeyValidityHandler } from './end-bank-webhook-key-validity.handler';

const withKey = (bankCode: string, notBefore: string | null = null): BankEvent[] => [
  bankRegistered(bankCode),
  {
    type: 'BankWebhookKeyAdded',
    data: {
      bankCode,
      keyId: 'hmac-1',
      kind: 'hmac',
      sealedMaterial: 'sealed:00',
      materialFingerprint: 'fp:00',
      notBefore,
      notAfter: null,
      secretGenerated: true,
      at: EARLIER,
    },
  },
];

describe.each(SQL_BACKENDS)('ending a webhook key’s validity, on $name', (backend) => {
  let spec: BankHandlerSpecification;
  beforeAll(async () => {
    spec = await bankHandlerSpecification(backend, [EndBankWebhookKeyValidityHandler]);
  });
  afterAll(() => spec.close());

  it('records the new end with the one it replaced, and answers the key', async () => {
    const key = await spec
      .given('0301', withKey('0301'))
      .when(new EndBankWebhookKeyValidityCommand('0301', 'hmac-1', '2027-01-01T00:00:00Z', operatorMetadata))
      .then([
        {
          type: 'BankWebhookKeyValidityChanged',
          data: {
            bankCode: '0301',
            keyId: 'hmac-1',
            notAfter: '2027-01-01T00:00:00.000Z',
            previousNotAfter: null,
            at: SPEC_NOW,
          },
        },
      ]);
    expect(key).toEqual({
      keyId: 'hmac-1',
      kind: 'hmac',
      notBefore: null,
      notAfter: '2027-01-01T00:00:00.000Z',
      createdAt: EARLIER,
    });
  });

  it('refuses an end not after the key’s start, an unknown key and an unknown bank', async () => {
    await spec
      .given('0302', withKey('0302', '2027-01-01T00:00:00.000Z'))
      .when(new EndBankWebhookKeyValidityCommand('0302', 'hmac-1', '2026-12-31T00:00:00Z', operatorMetadata))
      .thenThrows('webhook_key_validity_inverted');
    await spec
      .given('0303', withKey('0303'))
      .when(new EndBankWebhookKeyValidityCommand('0303', 'k9', '2027-01-01T00:00:00Z', operatorMetadata))
      .thenThrows('webhook_key_not_found');
    await spec
      .given('0304', [])
      .when(new EndBankWebhookKeyValidityCommand('0304', 'hmac-1', '2027-01-01T00:00:00Z', operatorMetadata))
      .thenThrows('unknown_bank');
  });
});
