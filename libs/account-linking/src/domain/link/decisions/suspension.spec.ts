import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const suspendCommand = { type: 'Suspend', data: { by: 'bank', reason: 'weakness found', now: LATER } } as const;
const reinstateCommand = { type: 'Reinstate', data: { by: 'operator', reason: 'weakness fixed', now: LATER } } as const;

describe('Suspend (R7)', () => {
  it('suspends an active link', () => {
    given(HISTORIES.active)
      .when(suspendCommand)
      .then([{ type: 'LinkSuspended', data: { linkId: LINK_ID, at: LATER, by: 'bank', reason: 'weakness found' } }]);
  });

  it('changes nothing on a link that is already suspended', () => {
    given(HISTORIES.suspended).when(suspendCommand).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(suspendCommand).thenThrows('link_not_found');
  });

  it.each([
    'awaiting_bank_authentication',
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'revoked',
    'rejected',
    'expired',
  ] as HistoryName[])('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(suspendCommand).thenThrows('link_not_in_expected_state');
  });
});

describe('Reinstate', () => {
  it('reinstates a suspended link', () => {
    given(HISTORIES.suspended)
      .when(reinstateCommand)
      .then([
        { type: 'LinkReinstated', data: { linkId: LINK_ID, at: LATER, by: 'operator', reason: 'weakness fixed' } },
      ]);
  });

  it('changes nothing on a link that is already active', () => {
    given(HISTORIES.active).when(reinstateCommand).thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(reinstateCommand).thenThrows('link_not_found');
  });

  it.each([
    'awaiting_bank_authentication',
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'revoked',
    'rejected',
    'expired',
  ] as HistoryName[])('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(reinstateCommand).thenThrows('link_not_in_expected_state');
  });
});
