import type { BankAccountGuardEvent } from '../../domain/bank-account-guard/bank-account-guard.events';
import type { LinkEventType } from '../../domain/link/link-events';

// Records over the union types: adding an event type to the domain fails the build here until it is listed.
const LINK_EVENT_TYPE_SET: Record<LinkEventType, true> = {
  LinkRequested: true,
  LinkRequestAbandoned: true,
  BankAuthenticationSucceeded: true,
  BankAuthenticationFailed: true,
  KycMatched: true,
  KycMismatched: true,
  CustomerNotificationRequested: true,
  CustomerNotificationAttemptFailed: true,
  CustomerNotified: true,
  CoolingOffStarted: true,
  CustomerConfirmationAwaited: true,
  CustomerConfirmed: true,
  CustomerObjected: true,
  FraudReported: true,
  LinkActivated: true,
  LinkExpired: true,
  LinkRevoked: true,
  LinkSuspended: true,
  LinkReinstated: true,
  LinkRejected: true,
  DeviceRebindingRequested: true,
  LinkDeviceRebound: true,
  DeviceRebindingRefused: true,
  LinkLimitsChanged: true,
  LinkLimitRaiseRequested: true,
  LinkLimitRaiseWithdrawn: true,
};

const GUARD_EVENT_TYPE_SET: Record<BankAccountGuardEvent['type'], true> = {
  LinkAttemptRegistered: true,
  LinkRequestRefused: true,
  LinkAttemptFinished: true,
  AccountLinkingFailureRecorded: true,
  AccountLocked: true,
  BankAccountClosed: true,
};

export const LINK_EVENT_TYPES: readonly LinkEventType[] = Object.keys(LINK_EVENT_TYPE_SET) as LinkEventType[];
export const BANK_ACCOUNT_GUARD_EVENT_TYPES: readonly BankAccountGuardEvent['type'][] = Object.keys(
  GUARD_EVENT_TYPE_SET,
) as BankAccountGuardEvent['type'][];
