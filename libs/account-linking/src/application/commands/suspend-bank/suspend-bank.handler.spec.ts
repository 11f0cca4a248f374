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
import { LiftBankSuspensionCommand } from '../lift-bank-suspension/lift-bank-suspension.command';
import { LiftBankSuspensionHandler } from '../lift-bank-suspension/lift-bank-suspension.handler';
import { SuspendBankCommand } from './suspend-bank.command';
import { SuspendBankHandler } from './suspend-bank.handler';

const suspended = (bankCode: string): BankEvent => ({
  type: 'BankSuspended',
  data: { bankCode, reason: 'phishing wave', at: EARLIER },
});

describe.each(SQL_BACKENDS)('the kill switch of a bank (R7), on $name', (backend) => {
  let spec: BankHandlerSpecification;
  beforeAll(async () => {
    spec = await bankHandlerSpecification(backend, [SuspendBankHandler, LiftBankSuspensionHandler]);
  });
  afterAll(() => spec.close());

  it('pulls the switch on the bank’s own stream, with who and why', async () => {
    const view = await spec
      .given('0101', [bankRegistered('0101')])
      .when(new SuspendBankCommand('0101', 'reverse brute force', operatorMetadata))
      .then([{ type: 'BankSuspended', data: { bankCode: '0101', reason: 'reverse brute force', at: SPEC_NOW } }]);
    expect(view).toEqual({ bankCode: '0101', suspended: true, reason: 'reverse brute force', at: SPEC_NOW });
    expect((await spec.eventsOf('0101')).at(-1)?.metadata.actor).toEqual(operatorMetadata.actor);
  });

  it('records a second pull again', async () => {
    await spec
      .given('0102', [bankRegistered('0102'), suspended('0102')])
      .when(new SuspendBankCommand('0102', 'still going on', operatorMetadata))
      .then([{ type: 'BankSuspended', data: { bankCode: '0102', reason: 'still going on', at: SPEC_NOW } }]);
  });

  it('refuses a bank that is not registered, writing nothing', async () => {
    await spec
      .given('0103', [])
      .when(new SuspendBankCommand('0103', 'x', operatorMetadata))
      .thenThrows('unknown_bank');
    await spec
      .given('0104', [])
      .when(new LiftBankSuspensionCommand('0104', undefined, operatorMetadata))
      .thenThrows('unknown_bank');
  });

  it('lifts a pulled switch', async () => {
    const view = await spec
      .given('0105', [bankRegistered('0105'), suspended('0105')])
      .when(new LiftBankSuspensionCommand('0105', undefined, operatorMetadata))
      .then([{ type: 'BankSuspensionLifted', data: { bankCode: '0105', at: SPEC_NOW } }]);
    expect(view).toEqual({ bankCode: '0105', suspended: false, at: SPEC_NOW });
  });

  it('records nothing when lifting a switch that is off, and still answers it is off', async () => {
    const view = await spec
      .given('0106', [bankRegistered('0106')])
      .when(new LiftBankSuspensionCommand('0106', undefined, operatorMetadata))
      .thenNothingHappened();
    expect(view).toEqual({ bankCode: '0106', suspended: false, at: SPEC_NOW });
  });
});
