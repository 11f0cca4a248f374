import type { ActorDefenceEvent } from '../actor/actor-defence.events';
import type { CaseEventType } from '../case/case.events';
import type { DebitEventType } from '../debit/debit.events';
import type { LinkEventType } from '../link/link-events';

/** Every event type of API.md "Webhooks out"; an endpoint may subscribe to any of them, built or not yet. */
export const WEBHOOK_EVENT_TYPES = [
  'link.notifying_customer',
  'link.activated',
  'link.rejected',
  'link.expired',
  'link.revoked',
  'link.suspended',
  'link.reinstated',
  'link.device_rebound',
  'link.limits_changed',
  'debit.authorised',
  'debit.refused',
  'debit.settled',
  'debit.failed',
  // Beyond API.md's list (which allows more): an authorisation the bank never reported, no longer executable.
  'debit.expired',
  'case.opened',
  'case.updated',
  'case.decided',
  'actor.blocked',
  'actor.block_lifted',
  'actor.block_expired',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: unknown): value is WebhookEventType =>
  typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/**
 * What apps and banks are told of each link event: a record over the union, so a new link event fails the
 * build here until someone decides whether it is told. Debit events have the table below; case events will get one.
 */
export const WEBHOOK_TYPE_OF_LINK_EVENT: Record<LinkEventType, WebhookEventType | null> = {
  LinkRequested: null,
  LinkRequestAbandoned: null,
  BankAuthenticationSucceeded: null,
  BankAuthenticationFailed: null,
  KycMatched: null,
  KycMismatched: null,
  CustomerNotificationRequested: 'link.notifying_customer',
  CustomerNotificationAttemptFailed: null,
  CustomerNotified: null,
  CoolingOffStarted: null,
  CustomerConfirmationAwaited: null,
  CustomerConfirmed: null,
  CustomerObjected: null,
  FraudReported: null,
  LinkActivated: 'link.activated',
  LinkExpired: 'link.expired',
  LinkRevoked: 'link.revoked',
  LinkSuspended: 'link.suspended',
  LinkReinstated: 'link.reinstated',
  LinkRejected: 'link.rejected',
  DeviceRebindingRequested: null,
  LinkDeviceRebound: 'link.device_rebound',
  DeviceRebindingRefused: null,
  LinkLimitsChanged: 'link.limits_changed',
  LinkLimitRaiseRequested: 'link.limits_changed',
  LinkLimitRaiseWithdrawn: 'link.limits_changed',
};

/**
 * What the app of a debit's link and the bank of its account are told of each debit event (API.md "Webhooks
 * out"): a record over the union, so a new debit event fails the build here until someone decides.
 */
export const WEBHOOK_TYPE_OF_DEBIT_EVENT: Record<DebitEventType, WebhookEventType | null> = {
  DebitAuthorised: 'debit.authorised',
  DebitRefused: 'debit.refused',
  DebitSettled: 'debit.settled',
  DebitFailed: 'debit.failed',
  DebitExpired: 'debit.expired',
};

/** Link webhook types told although the link's status stays: a change within it (a re-bound device, its limits). */
export const LINK_WEBHOOKS_WITHOUT_STATUS_CHANGE: ReadonlySet<WebhookEventType> = new Set([
  'link.device_rebound',
  'link.limits_changed',
]);

/**
 * What the payment app is told of its actors' streams (issue 11: "the app and the bank are told"): a block of
 * one of its devices, customers or end-user addresses, its lift, and its end (recorded by the block's timer). Banks learn of the links it touches by the
 * links' own events (`link.rejected`, `link.suspended`, `link.revoked`).
 */
export const WEBHOOK_TYPE_OF_ACTOR_EVENT: Record<ActorDefenceEvent['type'], WebhookEventType | null> = {
  ActorAttemptRegistered: null,
  ActorAttemptRefused: null,
  ActorAttemptFailed: null,
  ActorAttemptEnded: null,
  ActorBlocked: 'actor.blocked',
  ActorBlockLifted: 'actor.block_lifted',
  ActorBlockExpired: 'actor.block_expired',
};

/**
 * What both parties of a complaint case (the link's app and the link's bank) are told of each case event (API.md
 * "Webhooks out"): opened, every change while undecided (a note, a proposal, overdue), and the decision.
 */
export const WEBHOOK_TYPE_OF_CASE_EVENT: Record<CaseEventType, WebhookEventType> = {
  CaseOpened: 'case.opened',
  CaseNoteAdded: 'case.updated',
  CaseDecisionProposed: 'case.updated',
  CaseBecameOverdue: 'case.updated',
  CaseDecisionAgreed: 'case.decided',
  CaseDecidedByOperator: 'case.decided',
};
