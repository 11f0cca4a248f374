import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import type { LinkEvent } from '../link-events';
import {
  activationPolicy,
  COOLING_OFF_UNTIL,
  HISTORIES,
  type HistoryName,
  LINK_ID,
  NOTIFIED_AT,
  notifyingCustomer,
} from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const delivered = {
  type: 'RecordNotificationDelivered',
  data: { channel: 'sms', deliveredAt: '2026-11-20T10:05:58.000Z', now: NOTIFIED_AT },
} as const;

const customerNotified: LinkEvent = {
  type: 'CustomerNotified',
  data: { linkId: LINK_ID, at: NOTIFIED_AT, channel: 'sms', deliveredAt: '2026-11-20T10:05:58.000Z' },
};

const failedAttempt = (attempt: number, final = false) =>
  ({
    type: 'RecordNotificationFailed',
    data: { attempt, final, reason: 'sms_undeliverable', now: NOTIFIED_AT },
  }) as const;

const attemptFailed = (attempt: number): LinkEvent => ({
  type: 'CustomerNotificationAttemptFailed',
  data: { linkId: LINK_ID, at: NOTIFIED_AT, attempt, reason: 'sms_undeliverable' },
});

describe('RecordNotificationDelivered', () => {
  it('starts the cooling-off period when the bank has one (R5)', () => {
    given(notifyingCustomer(activationPolicy({ coolingOffMinutes: 60 })))
      .when(delivered)
      .then([
        customerNotified,
        { type: 'CoolingOffStarted', data: { linkId: LINK_ID, at: NOTIFIED_AT, until: COOLING_OFF_UNTIL } },
      ]);
  });

  it('starts the cooling-off period first when the bank also wants the confirmation', () => {
    given(notifyingCustomer(activationPolicy({ coolingOffMinutes: 60, customerConfirmationRequired: true })))
      .when(delivered)
      .then([
        customerNotified,
        { type: 'CoolingOffStarted', data: { linkId: LINK_ID, at: NOTIFIED_AT, until: COOLING_OFF_UNTIL } },
      ]);
  });

  it('awaits the customer confirmation when the bank wants it and has no cooling-off', () => {
    given(notifyingCustomer(activationPolicy({ customerConfirmationRequired: true })))
      .when(delivered)
      .then([customerNotified, { type: 'CustomerConfirmationAwaited', data: { linkId: LINK_ID, at: NOTIFIED_AT } }]);
  });

  it('activates the link at once when the bank has neither', () => {
    given(notifyingCustomer())
      .when(delivered)
      .then([customerNotified, { type: 'LinkActivated', data: { linkId: LINK_ID, at: NOTIFIED_AT } }]);
  });

  it('activates after failed attempts when one gets through', () => {
    given([...notifyingCustomer(), attemptFailed(1)])
      .when(delivered)
      .then([customerNotified, { type: 'LinkActivated', data: { linkId: LINK_ID, at: NOTIFIED_AT } }]);
  });

  it.each(['cooling_off', 'awaiting_customer_confirmation', 'active', 'suspended'] as HistoryName[])(
    'ignores a second report of the delivery on a link that is %s',
    (name) => {
      given(HISTORIES[name]).when(delivered).thenNothingHappened();
    },
  );

  it('refuses a link that does not exist', () => {
    given([]).when(delivered).thenThrows('link_not_found');
  });

  it.each(['awaiting_bank_authentication', 'revoked', 'rejected', 'expired'] as HistoryName[])(
    'refuses a link that is %s',
    (name) => {
      given(HISTORIES[name]).when(delivered).thenThrows('link_not_in_expected_state');
    },
  );
});

describe('RecordNotificationFailed', () => {
  it('records a failed attempt and keeps trying', () => {
    given(notifyingCustomer())
      .when(failedAttempt(1))
      .then([attemptFailed(1)]);
  });

  it('rejects the link for a manual review after the final attempt', () => {
    given([...notifyingCustomer(), attemptFailed(1), attemptFailed(2)])
      .when(failedAttempt(3, true))
      .then([
        attemptFailed(3),
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: NOTIFIED_AT,
            reason: 'notification_failed',
            detail: 'the customer could not be notified after 3 attempts: the link needs a manual review',
          },
        },
      ]);
  });

  it('ignores an attempt that is already recorded', () => {
    given([...notifyingCustomer(), attemptFailed(1), attemptFailed(2)])
      .when(failedAttempt(2, true))
      .thenNothingHappened();
  });

  it('refuses a link that does not exist', () => {
    given([]).when(failedAttempt(1)).thenThrows('link_not_found');
  });

  it.each([
    'awaiting_bank_authentication',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
    'revoked',
    'rejected',
    'expired',
  ] as HistoryName[])('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(failedAttempt(1)).thenThrows('link_not_in_expected_state');
  });
});
