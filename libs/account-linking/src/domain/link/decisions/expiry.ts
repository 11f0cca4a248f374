import { DomainError } from '../../domain-error';
import { addMinutes, isBefore, latest, MINUTES_PER_DAY } from '../../time';
import type { Expire, ExpireDormant } from '../link-commands';
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

/**
 * R13: an active link unused for the dormancy period expires. Its last use is its activation or its last
 * authorised debit, whichever is later; the timer fires too early when a debit came since, and is refused so.
 */
export const expireDormant = (command: ExpireDormant, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { now, dormancyDays, lastDebitAuthorisedAt } = command.data;
  // Suspended, revoked or expired already: there is nothing dormant to end.
  if (existing.status !== 'active') return [];
  const lastUsedAt = latest([
    existing.activatedAt,
    ...(lastDebitAuthorisedAt ? [lastDebitAuthorisedAt] : []),
  ]) as string;
  const dormantFrom = addMinutes(lastUsedAt, dormancyDays * MINUTES_PER_DAY);
  if (isBefore(now, dormantFrom)) {
    throw new DomainError('link_not_dormant', `The link was used at ${lastUsedAt}: it is dormant from ${dormantFrom}`);
  }
  return [
    {
      type: 'LinkExpired',
      data: { linkId: existing.link.linkId, at: now, reason: 'dormant', lastUsedAt, dormancyDays },
    },
  ];
};
