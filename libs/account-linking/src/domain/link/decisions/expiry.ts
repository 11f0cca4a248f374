import { DomainError } from '../../domain-error';
import { isBefore } from '../../time';
import type { Expire } from '../link-commands';
import type { LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { existingLink } from './link-state-guards';

/** The bank did not answer within the request's time to live. */
export const expire = (command: Expire, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { now } = command.data;
  // The expiry timer may fire after the bank answered or the link ended: only a link still waiting expires.
  if (existing.status !== 'awaiting_bank_authentication') return [];
  if (isBefore(now, existing.link.expiresAt)) {
    throw new DomainError('link_not_yet_expired', `The link request is valid until ${existing.link.expiresAt}`);
  }
  return [{ type: 'LinkExpired', data: { linkId: existing.link.linkId, at: now } }];
};
