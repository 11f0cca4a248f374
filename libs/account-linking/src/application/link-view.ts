import type { ExistingLinkState } from '../domain/link/link-state';
import type { DebitLimits, LinkUsageTerms } from '../domain/link/link-usage';

/** API.md `GET /v1/links/{id}/limits`: the limits in force, a raise awaiting the bank, the initial period. */
export interface LinkLimitsView extends DebitLimits {
  pending?: DebitLimits;
  initialPeriodUntil?: string;
  /** The tighter limits of the initial period, while it lasts. */
  initialLimits?: { perDebit: number | null; daily: number | null };
}

export function toLinkLimitsView(usage: LinkUsageTerms): LinkLimitsView {
  const { limits, pendingLimits, initialLimits } = usage;
  return {
    perDebit: limits.perDebit,
    daily: limits.daily,
    monthly: limits.monthly,
    ...(pendingLimits ? { pending: pendingLimits } : {}),
    ...(initialLimits
      ? {
          initialPeriodUntil: initialLimits.until,
          initialLimits: { perDebit: initialLimits.perDebit, daily: initialLimits.daily },
        }
      : {}),
  };
}

/** The limits view of a link whose state the decider just gave (active or suspended: it has limits). */
export function limitsViewOf(state: ExistingLinkState): LinkLimitsView {
  if (state.status !== 'active' && state.status !== 'suspended') {
    throw new Error(`Link ${state.link.linkId} is ${state.status}: it has no limits`);
  }
  return toLinkLimitsView(state.usage);
}

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
  /** R9: the device debits may come from (active and suspended links). */
  boundDeviceId?: string;
  /** R10 (active and suspended links), as `GET /v1/links/{id}/limits` shows them. */
  limits?: LinkLimitsView;
  /** R9: a re-binding to another device the app asked for, until the bank re-authenticates the customer. */
  rebinding?: { deviceId: string; requestedAt: string };
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
      return {
        ...view,
        activatedAt: state.activatedAt,
        boundDeviceId: state.usage.boundDeviceId,
        limits: toLinkLimitsView(state.usage),
        ...(state.usage.rebinding ? { rebinding: { ...state.usage.rebinding } } : {}),
      };
    case 'cooling_off':
      return { ...view, coolingOffUntil: state.coolingOffUntil };
    case 'rejected':
      return { ...view, reason: state.reason, reasonDetail: state.detail };
    case 'revoked':
      return { ...view, reason: `revoked_by_${state.revokedBy}`, reasonDetail: state.reason };
    case 'expired':
      return state.dormant
        ? {
            ...view,
            reason: 'dormant',
            reasonDetail: `no debit for ${state.dormant.days} days since ${state.dormant.lastUsedAt}`,
          }
        : { ...view, reason: 'request_expired', reasonDetail: 'the bank did not authenticate the customer in time' };
    default:
      return view;
  }
}
