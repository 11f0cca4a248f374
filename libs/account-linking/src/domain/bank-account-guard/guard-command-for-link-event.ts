import type { LinkEvent, LinkEventType } from '../link/link-events';
import type { BankAccountGuardCommand } from './bank-account-guard.commands';

/** The link events that `guardCommandForLinkEvent` turns into a guard command: what the guard's catch-up reads. */
export const GUARD_LINK_EVENT_TYPES = [
  'BankAuthenticationFailed',
  'KycMismatched',
  'LinkRejected',
  'LinkExpired',
  'LinkRevoked',
  'LinkRequestAbandoned',
] as const satisfies readonly LinkEventType[];

/** What a link's event means for its account's guard stream; undefined when nothing. */
export const guardCommandForLinkEvent = (event: LinkEvent): BankAccountGuardCommand | undefined => {
  const { linkId, at } = event.data;
  switch (event.type) {
    case 'BankAuthenticationFailed':
      return { type: 'RecordAccountLinkingFailure', data: { linkId, reason: 'bank_authentication_failed', now: at } };
    case 'KycMismatched':
      return { type: 'RecordAccountLinkingFailure', data: { linkId, reason: 'kyc_mismatch', now: at } };
    case 'LinkRejected':
      return { type: 'FinishLinkAttempt', data: { linkId, outcome: 'rejected', now: at } };
    case 'LinkExpired':
      return { type: 'FinishLinkAttempt', data: { linkId, outcome: 'expired', now: at } };
    case 'LinkRevoked':
      return { type: 'FinishLinkAttempt', data: { linkId, outcome: 'revoked', now: at } };
    case 'LinkRequestAbandoned':
      return { type: 'FinishLinkAttempt', data: { linkId, outcome: 'abandoned', now: at } };
    default:
      return undefined;
  }
};
