import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { COOLING_OFF_UNTIL, coolingOff, HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const activateAt = (now: string) => ({ type: 'Activate', data: { now } }) as const;

describe('Activate', () => {
  it('activates the link when the cooling-off period is over (R5)', () => {
    given(coolingOff())
      .when(activateAt(COOLING_OFF_UNTIL))
      .then([{ type: 'LinkActivated', data: { linkId: LINK_ID, at: COOLING_OFF_UNTIL } }]);
  });

  it('refuses to activate before the cooling-off period is over', () => {
    given(coolingOff()).when(activateAt('2026-11-20T11:05:59.999Z')).thenThrows('cooling_off_not_over');
  });

  it('awaits the confirmation after cooling-off when the bank wants it and the customer has not given it', () => {
    given(coolingOff(true))
      .when(activateAt(LATER))
      .then([{ type: 'CustomerConfirmationAwaited', data: { linkId: LINK_ID, at: LATER } }]);
  });

  it('activates after cooling-off when the customer confirmed during it', () => {
    given([
      ...coolingOff(true),
      { type: 'CustomerConfirmed', data: { linkId: LINK_ID, at: '2026-11-20T10:30:00.000Z' } },
    ])
      .when(activateAt(LATER))
      .then([{ type: 'LinkActivated', data: { linkId: LINK_ID, at: LATER } }]);
  });

  it.each(['awaiting_customer_confirmation', 'active', 'suspended'] as HistoryName[])(
    'changes nothing on a link already past cooling-off (%s)',
    (name) => {
      given(HISTORIES[name]).when(activateAt(LATER)).thenNothingHappened();
    },
  );

  it('refuses a link that does not exist', () => {
    given([]).when(activateAt(LATER)).thenThrows('link_not_found');
  });

  it.each(['awaiting_bank_authentication', 'notifying_customer', 'revoked', 'rejected', 'expired'] as HistoryName[])(
    'refuses a link that is %s',
    (name) => {
      given(HISTORIES[name]).when(activateAt(LATER)).thenThrows('link_not_in_expected_state');
    },
  );
});
