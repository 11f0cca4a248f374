import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { BankLinkPolicy } from '../../../domain/link/bank-link-policy';
import {
  type BankHandlerSpecification,
  bankHandlerSpecification,
  EARLIER,
  operatorMetadata,
  SPEC_NOW,
} from '../../testing/bank-handler-specification';
import { RegisterBankCommand, type RegisterBankResult } from './register-bank.command';
import { RegisterBankHandler } from './register-bank.handler';

const POLICY: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};
const STRICTER: BankLinkPolicy = { ...POLICY, coolingOffMinutes: 60 };

describe.each(SQL_BACKENDS)('registering a bank, on $name', (backend) => {
  let spec: BankHandlerSpecification;
  beforeAll(async () => {
    spec = await bankHandlerSpecification(backend, [RegisterBankHandler]);
  });
  afterAll(() => spec.close());

  it('starts the bank’s stream and answers the registration as created', async () => {
    const result = (await spec
      .given('0005', [])
      .when(new RegisterBankCommand('0005', 'みずほ銀行', POLICY, operatorMetadata))
      .then([
        { type: 'BankRegistered', data: { bankCode: '0005', name: 'みずほ銀行', policy: POLICY, at: SPEC_NOW } },
      ])) as RegisterBankResult;
    expect(result).toEqual({
      created: true,
      bank: {
        bankCode: '0005',
        name: 'みずほ銀行',
        policy: POLICY,
        suspension: { suspended: false },
        webhookKeys: [],
        createdAt: SPEC_NOW,
      },
    });
    const [registered] = await spec.eventsOf('0005');
    expect(registered?.metadata.actor).toEqual({ type: 'operator', id: 'sandbox-operator' });
  });

  it('records a new policy with the one it replaced, keeping the kill switch', async () => {
    const result = (await spec
      .given('0006', [
        { type: 'BankRegistered', data: { bankCode: '0006', name: 'Bank', policy: POLICY, at: EARLIER } },
        { type: 'BankSuspended', data: { bankCode: '0006', reason: 'phishing wave', at: EARLIER } },
      ])
      .when(new RegisterBankCommand('0006', 'Bank', STRICTER, operatorMetadata))
      .then([
        {
          type: 'BankUpdated',
          data: {
            bankCode: '0006',
            name: 'Bank',
            policy: STRICTER,
            previous: { name: 'Bank', policy: POLICY },
            at: SPEC_NOW,
          },
        },
      ])) as RegisterBankResult;
    expect(result.created).toBe(false);
    expect(result.bank.suspension).toEqual({ suspended: true, reason: 'phishing wave', since: EARLIER });
  });

  it('appends nothing when the bank is registered again as it is', async () => {
    const result = (await spec
      .given('0007', [
        { type: 'BankRegistered', data: { bankCode: '0007', name: 'Bank', policy: POLICY, at: EARLIER } },
      ])
      .when(new RegisterBankCommand('0007', 'Bank', POLICY, operatorMetadata))
      .thenNothingHappened()) as RegisterBankResult;
    expect(result).toMatchObject({ created: false, bank: { name: 'Bank', createdAt: EARLIER } });
  });

  it('registers a bank once when two operators register it at the same moment', async () => {
    const command = new RegisterBankCommand('0008', 'Bank', POLICY, operatorMetadata);
    const results = await Promise.all([spec.execute(command), spec.execute(command)]);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await spec.eventsOf('0008')).map((event) => event.type)).toEqual(['BankRegistered']);
  });
});
