import type { ExistingLinkState } from '../domain/link/link-state';

/** The link as payment apps see it (API.md): never the full account number, never personal attributes. */
export interface LinkView {
  id: string;
  status: ExistingLinkState['status'];
  customer: { reference: string };
  bankAccount: { bankCode: string; branchCode: string; type: string; last4: string };
  device: { id: string };
  createdAt: string;
  expiresAt: string;
  activatedAt?: string;
  coolingOffUntil?: string;
  /** A problem code, for rejected, revoked and expired links. */
  reason?: string;
  reasonDetail?: string;
}

export function toLinkView(state: ExistingLinkState): LinkView {
  const { link } = state;
  const view: LinkView = {
    id: link.linkId,
    status: state.status,
    customer: { reference: link.customerReference },
    bankAccount: {
      bankCode: link.bankAccount.bankCode,
      branchCode: link.bankAccount.branchCode,
      type: link.bankAccount.type,
      last4: link.bankAccount.last4,
    },
    device: { id: link.deviceId },
    createdAt: link.requestedAt,
    expiresAt: link.expiresAt,
  };
  switch (state.status) {
    case 'active':
    case 'suspended':
      return { ...view, activatedAt: state.activatedAt };
    case 'cooling_off':
      return { ...view, coolingOffUntil: state.coolingOffUntil };
    case 'rejected':
      return { ...view, reason: state.reason, reasonDetail: state.detail };
    case 'revoked':
      return { ...view, reason: `revoked_by_${state.revokedBy}`, reasonDetail: state.reason };
    case 'expired':
      return { ...view, reason: 'request_expired', reasonDetail: 'the bank did not authenticate the customer in time' };
    default:
      return view;
  }
}
