import { addMinutes } from '../time';
import { DeciderSpecification } from '../testing/decider-specification';
import { bankAccountGuardDecider } from './bank-account-guard.decider';
import type { BankAccountGuardEvent } from './bank-account-guard.events';

const given = DeciderSpecification.for(bankAccountGuardDecider);

const NOW = '2026-11-20T12:00:00.000Z';
const minutesBefore = (minutes: number) => addMinutes(NOW, -minutes);

const register = (linkId: string, paymentAppId = 'app-a') =>
  ({ type: 'RegisterLinkAttempt', data: { linkId, paymentAppId, now: NOW } }) as const;
const registered = (linkId: string, paymentAppId = 'app-a', at = NOW): BankAccountGuardEvent => ({
  type: 'LinkAttemptRegistered',
  data: { linkId, paymentAppId, at },
});
const finished = (linkId: string, at = NOW): BankAccountGuardEvent => ({
  type: 'LinkAttemptFinished',
  data: { linkId, outcome: 'rejected', at },
});
const failure = (linkId: string, at: string): BankAccountGuardEvent => ({
  type: 'AccountLinkingFailureRecorded',
  data: { linkId, reason: 'bank_authentication_failed', at },
});
const recordFailure = (linkId: string) =>
  ({ type: 'RecordAccountLinkingFailure', data: { linkId, reason: 'kyc_mismatch', now: NOW } }) as const;

/** Four failed links on the account in the last hours, each finished. */
const fourFailures: BankAccountGuardEvent[] = [1, 2, 3, 4].flatMap((n) => [
  registered(`lnk_${n}`, 'app-a', minutesBefore(60 * n)),
  failure(`lnk_${n}`, minutesBefore(60 * n)),
  finished(`lnk_${n}`, minutesBefore(60 * n)),
]);

describe('RegisterLinkAttempt', () => {
  it('registers the first link attempt on an account', () => {
    given([])
      .when(register('lnk_1'))
      .then([registered('lnk_1')]);
  });

  it('refuses a second open link for the same app and account', () => {
    given([registered('lnk_1')])
      .when(register('lnk_2'))
      .then([
        {
          type: 'LinkRequestRefused',
          data: {
            linkId: 'lnk_2',
            paymentAppId: 'app-a',
            reason: 'link_already_in_progress',
            at: NOW,
            openLinkId: 'lnk_1',
          },
        },
      ]);
  });

  it('lets another app link the same account', () => {
    given([registered('lnk_1')])
      .when(register('lnk_2', 'app-b'))
      .then([registered('lnk_2', 'app-b')]);
  });

  it('lets the app ask again once its link is over', () => {
    given([registered('lnk_1'), finished('lnk_1')])
      .when(register('lnk_2'))
      .then([registered('lnk_2')]);
  });

  it('changes nothing when the same link is registered again', () => {
    given([registered('lnk_1')])
      .when(register('lnk_1'))
      .thenNothingHappened();
  });

  it('refuses while the account is locked (R8)', () => {
    const until = addMinutes(NOW, 60);
    given([{ type: 'AccountLocked', data: { until, at: minutesBefore(60) } }])
      .when(register('lnk_9'))
      .then([
        {
          type: 'LinkRequestRefused',
          data: { linkId: 'lnk_9', paymentAppId: 'app-a', reason: 'account_locked', at: NOW, lockedUntil: until },
        },
      ]);
  });

  it('registers again once the lock has run out', () => {
    given([{ type: 'AccountLocked', data: { until: NOW, at: minutesBefore(24 * 60) } }])
      .when(register('lnk_9'))
      .then([registered('lnk_9')]);
  });
});

describe('FinishLinkAttempt', () => {
  const finish = { type: 'FinishLinkAttempt', data: { linkId: 'lnk_1', outcome: 'rejected', now: NOW } } as const;

  it('closes an open link attempt', () => {
    given([registered('lnk_1')])
      .when(finish)
      .then([finished('lnk_1')]);
  });

  it('changes nothing for a link that is not open', () => {
    given([registered('lnk_1'), finished('lnk_1')])
      .when(finish)
      .thenNothingHappened();
    given([]).when(finish).thenNothingHappened();
  });
});

describe('RecordAccountLinkingFailure', () => {
  it('records a failure below the threshold', () => {
    given([registered('lnk_1')])
      .when(recordFailure('lnk_1'))
      .then([{ type: 'AccountLinkingFailureRecorded', data: { linkId: 'lnk_1', reason: 'kyc_mismatch', at: NOW } }]);
  });

  it('locks the account at the fifth failure within a day (R8)', () => {
    given([...fourFailures, registered('lnk_5')])
      .when(recordFailure('lnk_5'))
      .then([
        { type: 'AccountLinkingFailureRecorded', data: { linkId: 'lnk_5', reason: 'kyc_mismatch', at: NOW } },
        { type: 'AccountLocked', data: { until: '2026-11-21T12:00:00.000Z', at: NOW } },
      ]);
  });

  it('follows configured lockout settings', () => {
    const lockout = { threshold: 2, windowMinutes: 60, lockMinutes: 15 };
    given([failure('lnk_1', minutesBefore(30))])
      .when({
        type: 'RecordAccountLinkingFailure',
        data: { linkId: 'lnk_2', reason: 'kyc_mismatch', now: NOW, lockout },
      })
      .then([
        { type: 'AccountLinkingFailureRecorded', data: { linkId: 'lnk_2', reason: 'kyc_mismatch', at: NOW } },
        { type: 'AccountLocked', data: { until: '2026-11-20T12:15:00.000Z', at: NOW } },
      ]);
  });

  it('does not count failures older than the window', () => {
    const old = [1, 2, 3, 4].map((n) => failure(`lnk_${n}`, minutesBefore(25 * 60 + n)));
    given(old)
      .when(recordFailure('lnk_5'))
      .then([{ type: 'AccountLinkingFailureRecorded', data: { linkId: 'lnk_5', reason: 'kyc_mismatch', at: NOW } }]);
  });

  it('does not lock again when the account is already locked for longer', () => {
    given([...fourFailures, { type: 'AccountLocked', data: { until: addMinutes(NOW, 48 * 60), at: NOW } }])
      .when(recordFailure('lnk_5'))
      .then([{ type: 'AccountLinkingFailureRecorded', data: { linkId: 'lnk_5', reason: 'kyc_mismatch', at: NOW } }]);
  });

  it('counts the failure of one link only once', () => {
    given([failure('lnk_1', minutesBefore(1))])
      .when(recordFailure('lnk_1'))
      .thenNothingHappened();
  });
});

describe('RecordBankAccountClosed', () => {
  const close = { type: 'RecordBankAccountClosed', data: { now: NOW } } as const;
  const closed: BankAccountGuardEvent = { type: 'BankAccountClosed', data: { at: NOW } };

  it('records that the bank closed the account, whatever links it has', () => {
    given([registered('lnk_1'), registered('lnk_2', 'app-b')])
      .when(close)
      .then([closed]);
    given([]).when(close).then([closed]);
  });

  it('records a repeated report too: each is evidence', () => {
    given([{ type: 'BankAccountClosed', data: { at: minutesBefore(5) } }])
      .when(close)
      .then([closed]);
  });

  it('leaves the open links and the lock as they were, and notes the first report', () => {
    const before = [registered('lnk_1'), { type: 'AccountLocked', data: { until: NOW, at: NOW } } as const];
    const state = before.reduce(bankAccountGuardDecider.evolve, bankAccountGuardDecider.initialState());
    const once = bankAccountGuardDecider.evolve(state, closed);
    expect(once).toEqual({ ...state, closedAt: NOW });
    const again = bankAccountGuardDecider.evolve(once, { type: 'BankAccountClosed', data: { at: addMinutes(NOW, 5) } });
    expect(again.closedAt).toBe(NOW);
  });

  it('refuses every new link on the closed account, of any app, even a lock having run out', () => {
    const earlier = minutesBefore(5);
    given([registered('lnk_1'), { type: 'BankAccountClosed', data: { at: earlier } }])
      .when(register('lnk_2', 'app-b'))
      .then([
        {
          type: 'LinkRequestRefused',
          data: { linkId: 'lnk_2', paymentAppId: 'app-b', reason: 'account_closed', at: NOW, closedAt: earlier },
        },
      ]);
  });

  it('is not closed by a refused request: only the bank closes an account', () => {
    given([registered('lnk_1')])
      .when(register('lnk_2'))
      .then([expect.anything()]);
    given([
      registered('lnk_1'),
      {
        type: 'LinkRequestRefused',
        data: {
          linkId: 'lnk_2',
          paymentAppId: 'app-a',
          reason: 'link_already_in_progress',
          at: NOW,
          openLinkId: 'lnk_1',
        },
      },
    ])
      .when(register('lnk_3', 'app-b'))
      .then([registered('lnk_3', 'app-b')]);
  });

  it('still takes a retried registration of a link registered before the closure', () => {
    given([registered('lnk_1'), closed])
      .when(register('lnk_1'))
      .thenNothingHappened();
  });
});
