import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { EXPIRES_AT, HISTORIES, type HistoryName, LATER, LINK_ID, linkRequested } from '../testing/link-fixtures';

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
