import type { LinkEvent } from '../link/link-events';
import { GUARD_LINK_EVENT_TYPES, guardCommandForLinkEvent } from './guard-command-for-link-event';

const AT = '2026-11-20T10:05:00.000Z';
const linkId = 'lnk_1';

describe('guardCommandForLinkEvent', () => {
  it.each<{ event: LinkEvent; command: unknown }>([
    {
      event: { type: 'BankAuthenticationFailed', data: { linkId, at: AT, reason: 'wrong_pin' } },
      command: { type: 'RecordAccountLinkingFailure', data: { linkId, reason: 'bank_authentication_failed', now: AT } },
    },
    {
      event: { type: 'KycMismatched', data: { linkId, at: AT, fields: [], rule: { allOf: [], anyOf: [] } } },
      command: { type: 'RecordAccountLinkingFailure', data: { linkId, reason: 'kyc_mismatch', now: AT } },
    },
    {
      event: { type: 'LinkRejected', data: { linkId, at: AT, reason: 'kyc_mismatch', detail: '' } },
      command: { type: 'FinishLinkAttempt', data: { linkId, outcome: 'rejected', now: AT } },
    },
    {
      event: { type: 'LinkExpired', data: { linkId, at: AT } },
      command: { type: 'FinishLinkAttempt', data: { linkId, outcome: 'expired', now: AT } },
    },
    {
      event: { type: 'LinkRevoked', data: { linkId, at: AT, by: 'customer', reason: 'customer_objected' } },
      command: { type: 'FinishLinkAttempt', data: { linkId, outcome: 'revoked', now: AT } },
    },
    {
      event: {
        type: 'LinkRequestAbandoned',
        data: { linkId, at: AT, paymentAppId: 'sandbox-app', accountToken: 'tok', claimedAt: AT },
      },
      command: { type: 'FinishLinkAttempt', data: { linkId, outcome: 'abandoned', now: AT } },
    },
  ])('turns $event.type into $command.type', ({ event, command }) => {
    expect(guardCommandForLinkEvent(event)).toEqual(command);
  });

  it.each<LinkEvent>([
    { type: 'LinkActivated', data: { linkId, at: AT } },
    { type: 'LinkSuspended', data: { linkId, at: AT, by: 'bank', reason: 'kill switch' } },
    { type: 'CustomerNotified', data: { linkId, at: AT, channel: 'sms', deliveredAt: AT } },
  ])('leaves the guard alone on $type', (event) => {
    expect(guardCommandForLinkEvent(event)).toBeUndefined();
  });

  it('lists exactly the link event types that mean something to the guard', () => {
    expect([...GUARD_LINK_EVENT_TYPES].sort()).toEqual(
      [
        'BankAuthenticationFailed',
        'KycMismatched',
        'LinkExpired',
        'LinkRejected',
        'LinkRequestAbandoned',
        'LinkRevoked',
      ].sort(),
    );
  });
});
