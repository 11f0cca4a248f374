import type { Revoke } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink, notInExpectedState } from './link-state-guards';

/** R6: any party may revoke a link that is not over yet; who and why are recorded. */
export const revoke = (command: Revoke, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { by, reason, now } = command.data;
  switch (existing.status) {
    case 'awaiting_bank_authentication':
    case 'notifying_customer':
    case 'cooling_off':
    case 'awaiting_customer_confirmation':
    case 'active':
    case 'suspended':
      return [{ type: 'LinkRevoked', data: { linkId: existing.link.linkId, at: now, by, reason } }];
    // Revoking twice has the outcome of revoking once.
    case 'revoked':
      return [];
    case 'rejected':
    case 'expired':
      throw notInExpectedState(command.type, existing);
  }
};
