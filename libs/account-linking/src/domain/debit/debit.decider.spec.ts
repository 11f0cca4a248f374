import type { DebitEvent, DebitFacts } from './debit.events';
import { DeciderSpecification } from '../testing/decider-specification';
import { debitDecider } from './debit.decider';

const given = DeciderSpecification.for(debitDecider);
const AUTHORISED_AT = '2026-12-01T03:00:00.000Z';
const EXPIRES_AT = '2026-12-01T03:10:00.000Z';
const debit: DebitFacts = {
  debitId: 'dbt_1',
  linkId: 'lnk_1',
  paymentAppId: 'app',
  bankCode: '0001',
  amount: 5000,
  currency: 'JPY',
  reference: 'charge-1',
  deviceId: 'device-1',
};
const authorised: DebitEvent = {
  type: 'DebitAuthorised',
  data: { ...debit, at: AUTHORISED_AT, expiresAt: EXPIRES_AT },
};
const refused: DebitEvent = {
  type: 'DebitRefused',
  data: { ...debit, at: AUTHORISED_AT, code: 'device_not_bound', detail: 'another device' },
};
const settled: DebitEvent = {
  type: 'DebitSettled',
  data: { debitId: 'dbt_1', linkId: 'lnk_1', at: '2026-12-01T03:05:00.000Z', settledAt: '2026-12-01T03:04:00.000Z' },
};
const failed: DebitEvent = {
  type: 'DebitFailed',
  data: { debitId: 'dbt_1', linkId: 'lnk_1', at: '2026-12-01T03:05:00.000Z', reason: 'insufficient_funds' },
};
const expired: DebitEvent = { type: 'DebitExpired', data: { debitId: 'dbt_1', linkId: 'lnk_1', at: EXPIRES_AT } };

describe('a debit’s own stream', () => {
  it('records the authorisation its spending stream made, once', () => {
    const record = {
      type: 'RecordDebitAuthorised',
      data: { debit, authorisedAt: AUTHORISED_AT, expiresAt: EXPIRES_AT },
    } as const;
    given([]).when(record).then([authorised]);
    given([authorised]).when(record).thenNothingHappened();
    given([refused]).when(record).thenThrows('debit_already_recorded');
  });

  it('records a refusal (R11), once', () => {
    const record = {
      type: 'RecordDebitRefused',
      data: { debit, now: AUTHORISED_AT, refusal: { code: 'device_not_bound', detail: 'another device' } },
    } as const;
    given([]).when(record).then([refused]);
    given([refused]).when(record).thenNothingHappened();
  });

  it('is settled by its bank while authorised; a repeated report changes nothing', () => {
    const settle = {
      type: 'SettleDebit',
      data: { now: settled.data.at, settledAt: '2026-12-01T03:04:00.000Z' },
    } as const;
    given([authorised]).when(settle).then([settled]);
    given([authorised, settled]).when(settle).thenNothingHappened();
  });

  it.each([
    ['refused', [refused]],
    ['failed', [authorised, failed]],
    ['expired', [authorised, expired]],
  ])('cannot be settled once %s', (_name, history) => {
    given(history)
      .when({ type: 'SettleDebit', data: { now: EXPIRES_AT, settledAt: EXPIRES_AT } })
      .thenThrows('debit_not_authorised');
  });

  it('fails at the bank while authorised, not once settled', () => {
    const fail = { type: 'FailDebit', data: { now: failed.data.at, reason: 'insufficient_funds' } } as const;
    given([authorised]).when(fail).then([failed]);
    given([authorised, failed]).when(fail).thenNothingHappened();
    given([authorised, settled]).when(fail).thenThrows('debit_not_authorised');
  });

  it('expires when its 10 minutes are over, not before, and not once reported', () => {
    given([authorised])
      .when({ type: 'ExpireDebit', data: { now: EXPIRES_AT } })
      .then([expired]);
    given([authorised])
      .when({ type: 'ExpireDebit', data: { now: '2026-12-01T03:09:59.999Z' } })
      .thenThrows('debit_not_yet_expired');
    given([authorised, settled])
      .when({ type: 'ExpireDebit', data: { now: EXPIRES_AT } })
      .thenNothingHappened();
    given([])
      .when({ type: 'ExpireDebit', data: { now: EXPIRES_AT } })
      .thenThrows('debit_not_found');
  });
});
