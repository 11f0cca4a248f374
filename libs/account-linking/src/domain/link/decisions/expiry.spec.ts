import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import {
  ACTIVATED_AT,
  EXPIRES_AT,
  HISTORIES,
  type HistoryName,
  LATER,
  LINK_ID,
  linkRequested,
} from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const expireAt = (now: string) => ({ type: 'Expire', data: { now } }) as const;

describe('Expire', () => {
  it('expires a link the bank did not answer within its time to live', () => {
    given([linkRequested])
      .when(expireAt(EXPIRES_AT))
      .then([{ type: 'LinkExpired', data: { linkId: LINK_ID, at: EXPIRES_AT } }]);
  });

  it('refuses to expire a link before its time to live is over', () => {
    given([linkRequested]).when(expireAt('2026-11-20T10:29:59.999Z')).thenThrows('link_not_yet_expired');
  });

  it.each([
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
    'revoked',
    'rejected',
    'expired',
  ] as HistoryName[])('changes nothing on a link the bank already answered or that is over (%s)', (name) => {
    given(HISTORIES[name]).when(expireAt(LATER)).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(expireAt(LATER)).thenThrows('link_not_found');
  });
});

describe('ExpireDormant (R13)', () => {
  const DAYS = 395;
  const dayAfter = (at: string, days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();
  const expireDormant = (now: string, lastDebitAuthorisedAt?: string) =>
    ({
      type: 'ExpireDormant',
      data: { now, dormancyDays: DAYS, ...(lastDebitAuthorisedAt ? { lastDebitAuthorisedAt } : {}) },
    }) as const;

  it('expires an active link never used for the period after its activation', () => {
    const now = dayAfter(ACTIVATED_AT, DAYS);
    given(HISTORIES.active)
      .when(expireDormant(now))
      .then([
        {
          type: 'LinkExpired',
          data: { linkId: LINK_ID, at: now, reason: 'dormant', lastUsedAt: ACTIVATED_AT, dormancyDays: DAYS },
        },
      ]);
  });

  it('measures from the last authorised debit, and refuses before the period after it is over', () => {
    const lastDebit = dayAfter(ACTIVATED_AT, 100);
    given(HISTORIES.active)
      .when(expireDormant(dayAfter(ACTIVATED_AT, DAYS), lastDebit))
      .thenThrows('link_not_dormant');
    given(HISTORIES.active)
      .when(expireDormant(dayAfter(lastDebit, DAYS), lastDebit))
      .then([
        {
          type: 'LinkExpired',
          data: {
            linkId: LINK_ID,
            at: dayAfter(lastDebit, DAYS),
            reason: 'dormant',
            lastUsedAt: lastDebit,
            dormancyDays: DAYS,
          },
        },
      ]);
  });

  it.each(['suspended', 'revoked', 'expired'] as HistoryName[])('leaves a %s link as it is', (name) => {
    given(HISTORIES[name])
      .when(expireDormant(dayAfter(ACTIVATED_AT, 1000)))
      .thenNothingHappened();
  });
});
