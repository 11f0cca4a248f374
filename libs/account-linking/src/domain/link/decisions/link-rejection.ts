import { type Instant, isBefore } from '../../time';
import type { LinkingConditions } from '../link-commands';
import type { LinkRejected, LinkRejectionReason } from '../link-events';

export const linkRejected = (
  linkId: string,
  at: Instant,
  reason: LinkRejectionReason,
  detail: string,
  authentication?: LinkRejected['data']['authentication'],
): LinkRejected => ({
  type: 'LinkRejected',
  data: authentication ? { linkId, at, reason, detail, authentication } : { linkId, at, reason, detail },
});

/** Names no threshold, no count and no other actor (API.md). */
export const actorBlockedRefusal = {
  reason: 'actor_blocked',
  detail: 'linking is refused for this device, customer or address',
} as const;

export const accountLockedRefusal = (lockedUntil: string): { reason: LinkRejectionReason; detail: string } => ({
  reason: 'account_locked',
  detail: `the account is locked for linking until ${lockedUntil}`,
});

export const accountClosedRefusal = (closedAt: string): { reason: LinkRejectionReason; detail: string } => ({
  reason: 'account_closed',
  detail: `the bank reported this account closed at ${closedAt}`,
});

/** R7 and R8: a suspended bank or a locked account stops a link at any step before it is made. */
export const refusalByLinkingConditions = (
  conditions: LinkingConditions,
  now: Instant,
): { reason: LinkRejectionReason; detail: string } | undefined => {
  if (conditions.bankSuspended) return { reason: 'bank_suspended', detail: 'linking with this bank is suspended' };
  if (conditions.accountLockedUntil !== undefined && isBefore(now, conditions.accountLockedUntil)) {
    return accountLockedRefusal(conditions.accountLockedUntil);
  }
  return undefined;
};
