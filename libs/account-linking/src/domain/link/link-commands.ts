import type { BankAccount } from '../bank-account';
import type { KycAttributes } from '../kyc/kyc-attributes';
import type { KycMatchRule } from '../kyc/kyc-match.policy';
import type { DomainCommand } from '../message';
import type { AllowedEkycMethod } from '../policies/ekyc-method.policy';
import type { SealedPersonalData } from '../sealed-personal-data';
import type { Instant } from '../time';
import type { BankLinkPolicy } from './bank-link-policy';
import type { EkycEvidence, FraudReportedBy, RevokedBy, SuspendedBy } from './link-events';
import type { LinkLimitsCommand } from './link-limits.messages';

/** What the application knows of the bank and the account when a link may go ahead (R7, R8). */
export interface LinkingConditions {
  /** The bank's kill switch is on. */
  bankSuspended: boolean;
  /** From the account's guard stream: linking is locked until then. */
  accountLockedUntil?: Instant;
}

interface At {
  /** The service's time of the fact. */
  now: Instant;
}

export type RequestLink = DomainCommand<
  'RequestLink',
  At &
    Pick<LinkingConditions, 'bankSuspended'> & {
      /** The account's guard refused the request (R8): the account is locked until then. Decided there, once. */
      refusedAsAccountLockedUntil?: Instant;
      /** The account's guard refused the request: its bank reported the account closed then. */
      refusedAsAccountClosedAt?: Instant;
      /** The defences of its device, customer or address refused the request (R8), decided on their streams. */
      refusedForActor?: boolean;
      linkId: string;
      paymentAppId: string;
      customerReference: string;
      bankAccount: BankAccount;
      sealedAccountNumber: SealedPersonalData;
      deviceId: string;
      endUserAddressKey?: string;
      userAgentHash?: string;
      /** Absent when the app reports no eKYC of its own. */
      ekyc?: EkycEvidence;
      allowedEkycMethods: readonly AllowedEkycMethod[];
      /** How long the bank has to authenticate the customer; 30 minutes unless said. */
      requestTtlMinutes?: number;
    }
>;

/** A request claimed the account under this link id and never started the link; its claim is stale. */
export type AbandonLinkRequest = DomainCommand<
  'AbandonLinkRequest',
  At & { linkId: string; paymentAppId: string; accountToken: string; claimedAt: Instant }
>;

/** One of the link's actors (device, customer, address) was blocked while the link awaited its bank. */
export type RejectForBlockedActor = DomainCommand<'RejectForBlockedActor', At>;

export type RecordBankAuthenticationSucceeded = DomainCommand<
  'RecordBankAuthenticationSucceeded',
  At &
    LinkingConditions & {
      methods: readonly string[];
      authenticatedAt: Instant;
      /** What the bank holds for the account holder, in plaintext: compared, never recorded. */
      holder: KycAttributes;
      /** The app's eKYC attributes, opened by the handler from the LinkRequested event: compared, never recorded. */
      ekycAttributes: KycAttributes;
      /** The contact registered at the bank, sealed by the handler. */
      customerContact?: SealedPersonalData;
      bankPolicy: BankLinkPolicy;
      kycMatchRule?: KycMatchRule;
    }
>;

export type RecordBankAuthenticationFailed = DomainCommand<'RecordBankAuthenticationFailed', At & { reason: string }>;

export type RecordNotificationDelivered = DomainCommand<
  'RecordNotificationDelivered',
  At & { channel: string; deliveredAt: Instant }
>;

export type RecordNotificationFailed = DomainCommand<
  'RecordNotificationFailed',
  At & {
    /** 1-based; an attempt already recorded is ignored. */
    attempt: number;
    /** No attempt follows: the link is rejected. */
    final: boolean;
    reason: string;
  }
>;

export type ConfirmByCustomer = DomainCommand<'ConfirmByCustomer', At>;
export type ObjectByCustomer = DomainCommand<'ObjectByCustomer', At>;
/** Sent when the cooling-off period ends. */
export type Activate = DomainCommand<'Activate', At>;
/** Sent when the request's time to live ends. */
export type Expire = DomainCommand<'Expire', At>;
/** Sent by the dormancy timer (R13): the link's last use as its spending stream records it. */
export type ExpireDormant = DomainCommand<
  'ExpireDormant',
  At & { dormancyDays: number; lastDebitAuthorisedAt?: Instant }
>;
export type Revoke = DomainCommand<'Revoke', At & { by: RevokedBy; reason: string }>;
export type Suspend = DomainCommand<'Suspend', At & { by: SuspendedBy; reason: string }>;
export type Reinstate = DomainCommand<'Reinstate', At & { by: SuspendedBy; reason: string }>;
export type ReportFraud = DomainCommand<'ReportFraud', At & { by: FraudReportedBy; reason: string }>;

/** R9: the app asks to bind an active link to another device; refused while the bank is suspended (R7). */
export type RequestDeviceRebinding = DomainCommand<
  'RequestDeviceRebinding',
  At & { deviceId: string; bankSuspended: boolean }
>;
/** R9: the bank's `device.reauthenticated`, judged as the first authentication was (R2). */
export type RecordDeviceReauthenticated = DomainCommand<
  'RecordDeviceReauthenticated',
  At & {
    deviceId: string;
    methods: readonly string[];
    authenticatedAt: Instant;
    bankPolicy: Pick<BankLinkPolicy, 'phishingResistantFactorRequired' | 'customerNotifiedBy'>;
  }
>;

export type LinkCommand =
  | RequestLink
  | AbandonLinkRequest
  | RejectForBlockedActor
  | RecordBankAuthenticationSucceeded
  | RecordBankAuthenticationFailed
  | RecordNotificationDelivered
  | RecordNotificationFailed
  | ConfirmByCustomer
  | ObjectByCustomer
  | Activate
  | Expire
  | ExpireDormant
  | Revoke
  | Suspend
  | Reinstate
  | ReportFraud
  | RequestDeviceRebinding
  | RecordDeviceReauthenticated
  | LinkLimitsCommand;

export type LinkCommandType = LinkCommand['type'];
