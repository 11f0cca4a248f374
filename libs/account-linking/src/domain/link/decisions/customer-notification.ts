import { addMinutes, type Instant } from '../../time';
import type { RecordNotificationDelivered, RecordNotificationFailed } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState, LinkStateIn } from '../link-state';
import { linkActivated } from './activation';
import { linkRejected } from './link-rejection';
import { existingLink, notInExpectedState, requireStatus } from './link-state-guards';

/** R5: after the notification, the bank's policy decides between cooling-off, confirmation and activation. */
const stepAfterNotification = (state: LinkStateIn<'notifying_customer'>, now: Instant): LinkEvent => {
  const { linkId } = state.link;
  const { coolingOffMinutes, customerConfirmationRequired } = state.activation;
  if (coolingOffMinutes > 0) {
    return { type: 'CoolingOffStarted', data: { linkId, at: now, until: addMinutes(now, coolingOffMinutes) } };
  }
  if (customerConfirmationRequired) return { type: 'CustomerConfirmationAwaited', data: { linkId, at: now } };
  return linkActivated(linkId, now, state.activation);
};

export const recordNotificationDelivered = (command: RecordNotificationDelivered, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { data } = command;
  switch (existing.status) {
    case 'notifying_customer':
      return [
        {
          type: 'CustomerNotified',
          data: { linkId: existing.link.linkId, at: data.now, channel: data.channel, deliveredAt: data.deliveredAt },
        },
        stepAfterNotification(existing, data.now),
      ];
    // Already delivered: the bank and the service may both report the same notification.
    case 'cooling_off':
    case 'awaiting_customer_confirmation':
    case 'active':
    case 'suspended':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};

export const recordNotificationFailed = (command: RecordNotificationFailed, state: LinkState): LinkEvent[] => {
  const notifying = requireStatus(state, command.type, 'notifying_customer');
  const { data } = command;
  const { linkId } = notifying.link;
  // A redelivered report of an attempt already recorded.
  if (data.attempt <= notifying.failedNotificationAttempts) return [];
  const failed: LinkEvent = {
    type: 'CustomerNotificationAttemptFailed',
    data: { linkId, at: data.now, attempt: data.attempt, reason: data.reason },
  };
  if (!data.final) return [failed];
  return [
    failed,
    linkRejected(
      linkId,
      data.now,
      'notification_failed',
      `the customer could not be notified after ${data.attempt} attempts: the link needs a manual review`,
    ),
  ];
};
