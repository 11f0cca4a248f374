import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import type { RevokedBy } from '../link-events';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const revokeBy = (by: RevokedBy, reason: string) => ({ type: 'Revoke', data: { by, reason, now: LATER } }) as const;

describe('Revoke (R6)', () => {
  it.each([
    'awaiting_bank_authentication',
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
  ] as HistoryName[])('revokes a link that is %s', (name) => {
    given(HISTORIES[name])
      .when(revokeBy('payment_app', 'user closed the wallet'))
      .then([
        {
          type: 'LinkRevoked',
          data: { linkId: LINK_ID, at: LATER, by: 'payment_app', reason: 'user closed the wallet' },
        },
      ]);
  });

  it.each(['payment_app', 'bank', 'customer', 'operator', 'system'] as RevokedBy[])('records who revoked: %s', (by) => {
    given(HISTORIES.active)
      .when(revokeBy(by, 'fraud suspected'))
      .then([{ type: 'LinkRevoked', data: { linkId: LINK_ID, at: LATER, by, reason: 'fraud suspected' } }]);
  });

  it('changes nothing on a link that is already revoked', () => {
    given(HISTORIES.revoked).when(revokeBy('bank', 'customer asked at the branch')).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(revokeBy('operator', 'test')).thenThrows('link_not_found');
  });

  it.each(['rejected', 'expired'] as HistoryName[])('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(revokeBy('operator', 'test')).thenThrows('link_not_in_expected_state');
  });
});
