import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { coolingOff, HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const confirm = { type: 'ConfirmByCustomer', data: { now: LATER } } as const;
const object = { type: 'ObjectByCustomer', data: { now: LATER } } as const;

describe('ConfirmByCustomer', () => {
  it('activates a link that awaits the confirmation', () => {
    given(HISTORIES.awaiting_customer_confirmation)
      .when(confirm)
      .then([
        { type: 'CustomerConfirmed', data: { linkId: LINK_ID, at: LATER } },
        { type: 'LinkActivated', data: { linkId: LINK_ID, at: LATER } },
      ]);
  });

  it('records a confirmation during cooling-off without cutting it short', () => {
    given(coolingOff(true))
      .when(confirm)
      .then([{ type: 'CustomerConfirmed', data: { linkId: LINK_ID, at: LATER } }]);
  });

  it('records a confirmation during cooling-off only once', () => {
    given([...coolingOff(true), { type: 'CustomerConfirmed', data: { linkId: LINK_ID, at: LATER } }])
      .when(confirm)
      .thenNothingHappened();
  });

  it.each(['active', 'suspended'] as HistoryName[])('changes nothing on a link that is already %s', (name) => {
    given(HISTORIES[name]).when(confirm).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(confirm).thenThrows('link_not_found');
  });

  it.each(['awaiting_bank_authentication', 'notifying_customer', 'revoked', 'rejected', 'expired'] as HistoryName[])(
    'refuses a link that is %s',
    (name) => {
      given(HISTORIES[name]).when(confirm).thenThrows('link_not_in_expected_state');
    },
  );
});

describe('ObjectByCustomer', () => {
  it.each([
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
  ] as HistoryName[])('revokes a link that is %s, recording that the customer objected', (name) => {
    given(HISTORIES[name])
      .when(object)
      .then([
        { type: 'CustomerObjected', data: { linkId: LINK_ID, at: LATER } },
        { type: 'LinkRevoked', data: { linkId: LINK_ID, at: LATER, by: 'customer', reason: 'customer_objected' } },
      ]);
  });

  it('changes nothing on a link that is already revoked', () => {
    given(HISTORIES.revoked).when(object).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(object).thenThrows('link_not_found');
  });

  it.each(['awaiting_bank_authentication', 'rejected', 'expired'] as HistoryName[])(
    'refuses a link that is %s',
    (name) => {
      given(HISTORIES[name]).when(object).thenThrows('link_not_in_expected_state');
    },
  );
});
