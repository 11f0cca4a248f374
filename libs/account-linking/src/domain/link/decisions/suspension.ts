import type { Reinstate, Suspend } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink, notInExpectedState } from './link-state-guards';

/** R7: an active link is suspended for an investigation or by the bank's kill switch, in bulk or one by one. */
export const suspend = (command: Suspend, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { by, reason, now } = command.data;
  switch (existing.status) {
    case 'active':
      return [{ type: 'LinkSuspended', data: { linkId: existing.link.linkId, at: now, by, reason } }];
    // A bulk suspension may reach a link twice.
    case 'suspended':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};

export const reinstate = (command: Reinstate, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { by, reason, now } = command.data;
  switch (existing.status) {
    case 'suspended':
      return [{ type: 'LinkReinstated', data: { linkId: existing.link.linkId, at: now, by, reason } }];
    // A bulk reinstatement may reach a link twice.
    case 'active':
      return [];
    default:
      throw notInExpectedState(command.type, existing);
  }
};
