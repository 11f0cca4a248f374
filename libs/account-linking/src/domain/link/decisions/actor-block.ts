import type { RejectForBlockedActor } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { actorBlockedRefusal, linkRejected } from './link-rejection';

/** R8: a link still awaiting its bank when its device, customer or address is blocked goes no further. */
export const rejectForBlockedActor = (command: RejectForBlockedActor, state: LinkState): LinkEvent[] => {
  if (state.status !== 'awaiting_bank_authentication') return [];
  const { reason, detail } = actorBlockedRefusal;
  return [linkRejected(state.link.linkId, command.data.now, reason, detail)];
};
