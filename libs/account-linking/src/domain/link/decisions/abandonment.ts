import type { AbandonLinkRequest } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';

/**
 * Closes a link id whose request never started, so that it never can: the append races the request's own
 * (both expect an empty stream), and whichever lands first decides. A link that started is left alone.
 */
export const abandonLinkRequest = (command: AbandonLinkRequest, state: LinkState): LinkEvent[] => {
  if (state.status !== 'none' || state.abandonedAt !== undefined) return [];
  const { linkId, now, paymentAppId, accountToken, claimedAt } = command.data;
  return [{ type: 'LinkRequestAbandoned', data: { linkId, at: now, paymentAppId, accountToken, claimedAt } }];
};
