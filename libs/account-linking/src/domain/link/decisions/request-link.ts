import { DomainError } from '../../domain-error';
import { assessEkycMethod } from '../../policies/ekyc-method.policy';
import { addMinutes } from '../../time';
import type { RequestLink } from '../link-commands';
import type { LinkEvent, LinkRequested } from '../link-events';
import type { LinkState } from '../link-state';
import {
  accountClosedRefusal,
  accountLockedRefusal,
  actorBlockedRefusal,
  linkRejected,
  refusalByLinkingConditions,
} from './link-rejection';

export const DEFAULT_REQUEST_TTL_MINUTES = 30;

/** R7 as for any step; R8 as the account's guard decided it for this request (not judged again here). */
const refusalAtRequest = (data: RequestLink['data']) =>
  refusalByLinkingConditions({ bankSuspended: data.bankSuspended }, data.now) ??
  (data.refusedAsAccountClosedAt !== undefined ? accountClosedRefusal(data.refusedAsAccountClosedAt) : undefined) ??
  (data.refusedAsAccountLockedUntil !== undefined
    ? accountLockedRefusal(data.refusedAsAccountLockedUntil)
    : undefined) ??
  (data.refusedForActor ? actorBlockedRefusal : undefined);

/** Records every request, the refused ones too, so that attempts stay in evidence (R11). */
export const requestLink = (command: RequestLink, state: LinkState): LinkEvent[] => {
  const { data } = command;
  if (state.status !== 'none' || state.abandonedAt !== undefined) {
    throw new DomainError('link_already_requested', `Link ${data.linkId} was already requested`);
  }
  const requested: LinkRequested = {
    type: 'LinkRequested',
    data: {
      linkId: data.linkId,
      at: data.now,
      paymentAppId: data.paymentAppId,
      customerReference: data.customerReference,
      bankAccount: data.bankAccount,
      sealedAccountNumber: data.sealedAccountNumber,
      deviceId: data.deviceId,
      ...(data.endUserAddressKey ? { endUserAddressKey: data.endUserAddressKey } : {}),
      ...(data.userAgentHash ? { userAgentHash: data.userAgentHash } : {}),
      ...(data.ekyc ? { ekyc: data.ekyc } : {}),
      expiresAt: addMinutes(data.now, data.requestTtlMinutes ?? DEFAULT_REQUEST_TTL_MINUTES),
    },
  };

  const refusal = refusalAtRequest(data);
  if (refusal) return [requested, linkRejected(data.linkId, data.now, refusal.reason, refusal.detail)];

  const ekyc = assessEkycMethod(data.ekyc?.method, data.now, data.allowedEkycMethods);
  if (!ekyc.allowed) return [requested, linkRejected(data.linkId, data.now, ekyc.code, ekyc.detail)];

  return [requested];
};
