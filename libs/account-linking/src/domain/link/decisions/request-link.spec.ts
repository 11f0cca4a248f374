import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import type { LinkRejected, LinkRejectionReason } from '../link-events';
import {
  HISTORIES,
  LINK_ID,
  linkRequestAbandoned,
  linkRequested,
  REQUESTED_AT,
  requestLinkCommand,
} from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const rejectedAtRequest = (reason: LinkRejectionReason, detail: string): LinkRejected => ({
  type: 'LinkRejected',
  data: { linkId: LINK_ID, at: REQUESTED_AT, reason, detail },
});

describe('RequestLink', () => {
  it('records the request, waiting 30 minutes for the bank by default', () => {
    given([]).when(requestLinkCommand()).then([linkRequested]);
  });

  it('takes a configured time to live', () => {
    given([])
      .when(requestLinkCommand({ requestTtlMinutes: 10 }))
      .then([{ type: 'LinkRequested', data: { ...linkRequested.data, expiresAt: '2026-11-20T10:10:00.000Z' } }]);
  });

  it('records and rejects a request whose app did no eKYC (R1)', () => {
    const { ekyc: _none, ...withoutEkyc } = linkRequested.data;
    given([])
      .when(requestLinkCommand({ ekyc: undefined }))
      .then([
        { type: 'LinkRequested', data: withoutEkyc },
        rejectedAtRequest('ekyc_method_not_allowed', 'the payment app did no eKYC of its own'),
      ]);
  });

  it('records and rejects an eKYC method that is retired (R1)', () => {
    const ekyc = { method: 'photo_id_and_selfie', verifiedAt: '2027-04-01T09:00:00.000Z', attributes: 'sealed:x' };
    const now = '2027-04-01T10:00:00.000Z';
    given([])
      .when(requestLinkCommand({ ekyc, now }))
      .then([
        {
          type: 'LinkRequested',
          data: { ...linkRequested.data, ekyc, at: now, expiresAt: '2027-04-01T10:30:00.000Z' },
        },
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: now,
            reason: 'ekyc_method_not_allowed',
            detail: 'eKYC method photo_id_and_selfie was retired at 2027-04-01T00:00:00.000Z',
          },
        },
      ]);
  });

  it('records and rejects a request while the bank is suspended (R7)', () => {
    given([])
      .when(requestLinkCommand({ bankSuspended: true }))
      .then([linkRequested, rejectedAtRequest('bank_suspended', 'linking with this bank is suspended')]);
  });

  it('records and rejects a request that the account guard refused as locked (R8)', () => {
    given([])
      .when(requestLinkCommand({ refusedAsAccountLockedUntil: '2026-11-21T08:00:00.000Z' }))
      .then([
        linkRequested,
        rejectedAtRequest('account_locked', 'the account is locked for linking until 2026-11-21T08:00:00.000Z'),
      ]);
  });

  it('takes the guard at its word: the lock is decided there once, not judged again against the time', () => {
    given([])
      .when(requestLinkCommand({ refusedAsAccountLockedUntil: REQUESTED_AT }))
      .then([
        linkRequested,
        rejectedAtRequest('account_locked', `the account is locked for linking until ${REQUESTED_AT}`),
      ]);
  });

  it('records and rejects a request on an account its bank reported closed', () => {
    given([])
      .when(requestLinkCommand({ refusedAsAccountClosedAt: '2026-11-19T08:00:00.000Z' }))
      .then([
        linkRequested,
        rejectedAtRequest('account_closed', 'the bank reported this account closed at 2026-11-19T08:00:00.000Z'),
      ]);
  });

  it('refuses to start a link whose request was abandoned', () => {
    given([linkRequestAbandoned]).when(requestLinkCommand()).thenThrows('link_already_requested');
  });

  it.each(Object.keys(HISTORIES).filter((name) => name !== 'none') as (keyof typeof HISTORIES)[])(
    'refuses a second request for the same link id (%s)',
    (name) => {
      given(HISTORIES[name]).when(requestLinkCommand()).thenThrows('link_already_requested');
    },
  );
});
