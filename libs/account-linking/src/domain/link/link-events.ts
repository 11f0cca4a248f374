import type { BankAccount } from '../bank-account';
import type { KycFieldResult } from '../kyc/kyc-attributes';
import type { KycMatchRule } from '../kyc/kyc-match.policy';
import type { DomainEvent } from '../message';
import type {
  AuthenticationFactorKind,
  WeakBankAuthenticationReason,
} from '../policies/bank-authentication-strength.policy';
import type { SealedPersonalData } from '../sealed-personal-data';
import type { Instant } from '../time';
import type { LinkActivationPolicy } from './bank-link-policy';
import type { LinkLimitsEvent } from './link-limits.messages';
import type { InitialDebitLimits } from './link-usage';

export type LinkRejectionReason =
  | 'weak_bank_authentication'
  | 'kyc_mismatch'
  | 'account_locked'
  | 'account_closed'
  | 'bank_authentication_failed'
  | 'notification_failed'
  | 'bank_suspended'
  | 'ekyc_method_not_allowed'
  | 'actor_blocked';

export type RevokedBy = 'payment_app' | 'bank' | 'customer' | 'operator' | 'system';
export type SuspendedBy = 'bank' | 'operator' | 'system';

/** The payment app's own eKYC of its user (R1); the attributes stay sealed. */
export interface EkycEvidence {
  method: string;
  verifiedAt: Instant;
  attributes: SealedPersonalData;
}

/** Every link event names its link and the service time (`at`) of the fact. */
interface LinkEventData {
  linkId: string;
  at: Instant;
}

export type LinkRequested = DomainEvent<
  'LinkRequested',
  LinkEventData & {
    paymentAppId: string;
    customerReference: string;
    bankAccount: BankAccount;
    sealedAccountNumber: SealedPersonalData;
    /** R9: the link is bound to the device that asked for it. */
    deviceId: string;
    /** The end user's address as the app reported it, as an actor key (a keyed hash; R8). */
    endUserAddressKey?: string;
    /** The device's user agent as the app reported it, as a keyed hash. */
    userAgentHash?: string;
    /** Absent when the app did no eKYC; such a request is rejected at once. */
    ekyc?: EkycEvidence;
    expiresAt: Instant;
  }
>;

export type BankAuthenticationSucceeded = DomainEvent<
  'BankAuthenticationSucceeded',
  LinkEventData & {
    methods: readonly string[];
    factorKinds: readonly AuthenticationFactorKind[];
    phishingResistant: boolean;
    /** As the bank reported it. */
    authenticatedAt: Instant;
  }
>;

export type BankAuthenticationFailed = DomainEvent<'BankAuthenticationFailed', LinkEventData & { reason: string }>;

/** Per-field outcomes only: the compared values never reach an event. */
export type KycMatched = DomainEvent<
  'KycMatched',
  LinkEventData & { fields: readonly KycFieldResult[]; rule: KycMatchRule }
>;
export type KycMismatched = DomainEvent<
  'KycMismatched',
  LinkEventData & { fields: readonly KycFieldResult[]; rule: KycMatchRule }
>;

export type CustomerNotificationRequested = DomainEvent<
  'CustomerNotificationRequested',
  LinkEventData & {
    notifiedBy: 'service' | 'bank';
    /** The contact registered at the bank, never the one the app collected (R4); absent when the bank notifies. */
    contact?: SealedPersonalData;
    activation: LinkActivationPolicy;
  }
>;

export type CustomerNotificationAttemptFailed = DomainEvent<
  'CustomerNotificationAttemptFailed',
  LinkEventData & { attempt: number; reason: string }
>;

export type CustomerNotified = DomainEvent<
  'CustomerNotified',
  LinkEventData & { channel: string; deliveredAt: Instant }
>;

export type CoolingOffStarted = DomainEvent<'CoolingOffStarted', LinkEventData & { until: Instant }>;
export type CustomerConfirmationAwaited = DomainEvent<'CustomerConfirmationAwaited', LinkEventData>;
export type CustomerConfirmed = DomainEvent<'CustomerConfirmed', LinkEventData>;
export type CustomerObjected = DomainEvent<'CustomerObjected', LinkEventData>;
/** `initialLimits`: the tighter limits of the link's first days, where its bank's policy sets them (R10). */
export type LinkActivated = DomainEvent<'LinkActivated', LinkEventData & { initialLimits?: InitialDebitLimits }>;
/**
 * The request's time to live ran out (no `reason`), or an active link went unused for the deployment's dormancy
 * period (`reason: 'dormant'`, with the last use it was measured from).
 */
export type LinkExpired = DomainEvent<
  'LinkExpired',
  LinkEventData & { reason?: 'dormant'; lastUsedAt?: Instant; dormancyDays?: number }
>;
export type LinkRevoked = DomainEvent<'LinkRevoked', LinkEventData & { by: RevokedBy; reason: string }>;
export type LinkSuspended = DomainEvent<'LinkSuspended', LinkEventData & { by: SuspendedBy; reason: string }>;
export type LinkReinstated = DomainEvent<'LinkReinstated', LinkEventData & { by: SuspendedBy; reason: string }>;
/** Who may report fraud on a link: today only its bank (`fraud.reported`). */
export type FraudReportedBy = 'bank';
/** Evidence that changes no status by itself: the fraud rules react to it (R6, R11). */
export type FraudReported = DomainEvent<'FraudReported', LinkEventData & { by: FraudReportedBy; reason: string }>;

export type LinkRejected = DomainEvent<
  'LinkRejected',
  LinkEventData & {
    reason: LinkRejectionReason;
    /** Says why in words, naming fields or methods, never personal values. */
    detail: string;
    /** Evidence for `weak_bank_authentication`: what the bank reported and what it lacked. */
    authentication?: {
      methods: readonly string[];
      factorKinds: readonly AuthenticationFactorKind[];
      weakness: WeakBankAuthenticationReason;
    };
  }
>;

/**
 * A link id whose request claimed its bank account but never started: the request's process stopped in
 * between. Written only as a stream's first event, so that request can never start later; it frees the claim.
 */
export type LinkRequestAbandoned = DomainEvent<
  'LinkRequestAbandoned',
  LinkEventData & { paymentAppId: string; accountToken: string; claimedAt: Instant }
>;

/** R9: the app asked to bind the link to another device; the bank is to re-authenticate the customer first. */
export type DeviceRebindingRequested = DomainEvent<'DeviceRebindingRequested', LinkEventData & { deviceId: string }>;
/** R9: the bank re-authenticated the customer strongly enough; debits now come from `deviceId` only. */
export type LinkDeviceRebound = DomainEvent<
  'LinkDeviceRebound',
  LinkEventData &
    Omit<BankAuthenticationSucceeded['data'], 'linkId' | 'at'> & {
      deviceId: string;
      previousDeviceId: string;
      /** Who tells the customer at the bank-registered contact, per the bank's policy then (R4, R13). */
      customerNotifiedBy: 'service' | 'bank';
    }
>;
/** R2 at a re-binding: the bank's re-authentication was too weak; the link stays bound to its device. */
export type DeviceRebindingRefused = DomainEvent<
  'DeviceRebindingRefused',
  LinkEventData & {
    deviceId: string;
    reason: 'weak_bank_authentication';
    detail: string;
    authentication: NonNullable<LinkRejected['data']['authentication']>;
  }
>;

export type LinkEvent =
  | LinkRequested
  | LinkRequestAbandoned
  | BankAuthenticationSucceeded
  | BankAuthenticationFailed
  | KycMatched
  | KycMismatched
  | CustomerNotificationRequested
  | CustomerNotificationAttemptFailed
  | CustomerNotified
  | CoolingOffStarted
  | CustomerConfirmationAwaited
  | CustomerConfirmed
  | CustomerObjected
  | FraudReported
  | LinkActivated
  | LinkExpired
  | LinkRevoked
  | LinkSuspended
  | LinkReinstated
  | LinkRejected
  | DeviceRebindingRequested
  | LinkDeviceRebound
  | DeviceRebindingRefused
  | LinkLimitsEvent;

export type LinkEventType = LinkEvent['type'];
