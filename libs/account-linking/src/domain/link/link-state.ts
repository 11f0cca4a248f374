import type { BankAccount } from '../bank-account';
import type { Instant } from '../time';
import type { LinkActivationPolicy } from './bank-link-policy';
import type { LinkRejectionReason, RevokedBy, SuspendedBy } from './link-events';
import type { LinkUsageTerms } from './link-usage';

/** What a link is, fixed when it is requested. */
export interface LinkFacts {
  linkId: string;
  paymentAppId: string;
  customerReference: string;
  bankAccount: BankAccount;
  deviceId: string;
  /** The end user's address as an actor key, when the app reported it. */
  endUserAddressKey?: string;
  requestedAt: Instant;
  expiresAt: Instant;
}

export type LinkState =
  /** No link; `abandonedAt` when a request claimed this id and never started it (it never will). */
  | { status: 'none'; abandonedAt?: Instant }
  | { status: 'awaiting_bank_authentication'; link: LinkFacts }
  | {
      status: 'notifying_customer';
      link: LinkFacts;
      notifiedBy: 'service' | 'bank';
      activation: LinkActivationPolicy;
      failedNotificationAttempts: number;
    }
  | {
      status: 'cooling_off';
      link: LinkFacts;
      activation: LinkActivationPolicy;
      coolingOffUntil: Instant;
      customerConfirmed: boolean;
    }
  | { status: 'awaiting_customer_confirmation'; link: LinkFacts; activation: LinkActivationPolicy }
  | { status: 'active'; link: LinkFacts; activatedAt: Instant; usage: LinkUsageTerms }
  | {
      status: 'suspended';
      link: LinkFacts;
      activatedAt: Instant;
      usage: LinkUsageTerms;
      suspendedAt: Instant;
      suspendedBy: SuspendedBy;
      suspensionReason: string;
    }
  | { status: 'revoked'; link: LinkFacts; revokedAt: Instant; revokedBy: RevokedBy; reason: string }
  | { status: 'rejected'; link: LinkFacts; rejectedAt: Instant; reason: LinkRejectionReason; detail: string }
  | { status: 'expired'; link: LinkFacts; expiredAt: Instant; dormant?: { lastUsedAt: Instant; days: number } };

export type LinkStatus = LinkState['status'];
export type ExistingLinkState = Exclude<LinkState, { status: 'none' }>;
export type LinkStateIn<Status extends LinkStatus> = Extract<LinkState, { status: Status }>;

export const TERMINAL_LINK_STATUSES = ['rejected', 'expired', 'revoked'] as const satisfies readonly LinkStatus[];

export const isTerminal = (status: LinkStatus): boolean =>
  (TERMINAL_LINK_STATUSES as readonly LinkStatus[]).includes(status);

export const initialLinkState = (): LinkState => ({ status: 'none' });
