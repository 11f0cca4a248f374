import type { ConfirmByCustomer, ObjectByCustomer } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { linkActivated } from './activation';
import { existingLink, notInExpectedState } from './link-state-guards';

export const confirmByCustomer = (command: ConfirmByCustomer, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { linkId } = existing.link;
  const at = command.data.now;
  switch (existing.status) {
    case 'awaiting_customer_confirmation':
      return [{ type: 'CustomerConfirmed', data: { linkId, at } }, linkActivated(linkId, at, existing.activation)];
    // Confirmed during cooling-off: the link still activates only when the period ends.
    case 'cooling_off':
      return existing.customerConfirmed ? [] : [{ type: 'CustomerConfirmed', data: { linkId, at } }];
    // The link is already made: a repeated or late confirmation changes nothing.
    case 'active':
    case 'suspended':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};

/** The customer, told at the bank's contact, says it was not them: the link is revoked at once (R4, R6). */
export const objectByCustomer = (command: ObjectByCustomer, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { linkId } = existing.link;
  const at = command.data.now;
  switch (existing.status) {
    case 'notifying_customer':
    case 'cooling_off':
    case 'awaiting_customer_confirmation':
    case 'active':
    case 'suspended':
      return [
        { type: 'CustomerObjected', data: { linkId, at } },
        { type: 'LinkRevoked', data: { linkId, at, by: 'customer', reason: 'customer_objected' } },
      ];
    // The objection already holds: the link is revoked.
    case 'revoked':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};
