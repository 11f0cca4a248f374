import { DomainError } from '../../domain-error';
import { isBefore } from '../../time';
import type { Activate } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink, notInExpectedState } from './link-state-guards';

/** The end of the cooling-off period: activate, or wait for the customer's confirmation where the bank wants it. */
export const activate = (command: Activate, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { now } = command.data;
  switch (existing.status) {
    case 'cooling_off': {
      const { linkId } = existing.link;
      if (isBefore(now, existing.coolingOffUntil)) {
        throw new DomainError('cooling_off_not_over', `The cooling-off period lasts until ${existing.coolingOffUntil}`);
      }
      if (existing.activation.customerConfirmationRequired && !existing.customerConfirmed) {
        return [{ type: 'CustomerConfirmationAwaited', data: { linkId, at: now } }];
      }
      return [{ type: 'LinkActivated', data: { linkId, at: now } }];
    }
    // The cooling-off timer may fire more than once: a link already past it stays as it is.
    case 'awaiting_customer_confirmation':
    case 'active':
    case 'suspended':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};
