import { DomainError } from '../../domain-error';
import { addMinutes, type Instant, isBefore, MINUTES_PER_DAY } from '../../time';
import type { LinkActivationPolicy } from '../bank-link-policy';
import type { Activate } from '../link-commands';
import type { LinkActivated, LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink, notInExpectedState } from './link-state-guards';

/** The link becomes usable; the bank's initial limits, if any, run from now (R10). */
export const linkActivated = (linkId: string, now: Instant, activation: LinkActivationPolicy): LinkActivated => {
  const initial = activation.initialLimits;
  return {
    type: 'LinkActivated',
    data: {
      linkId,
      at: now,
      ...(initial && initial.days > 0
        ? {
            initialLimits: {
              perDebit: initial.perDebit,
              daily: initial.daily,
              until: addMinutes(now, initial.days * MINUTES_PER_DAY),
            },
          }
        : {}),
    },
  };
};

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
      return [linkActivated(linkId, now, existing.activation)];
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
