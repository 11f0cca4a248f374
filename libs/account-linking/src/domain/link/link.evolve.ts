import { assertNever } from '../assert-never';
import { withDeviceRebinding } from './decisions/device-rebinding';
import { evolveLimits } from './decisions/limits';
import type { LinkEvent } from './link-events';
import type { LinkActivationPolicy } from './bank-link-policy';
import type { LinkState } from './link-state';
import { NO_DEBIT_LIMITS } from './link-usage';

/** Only for a confirmation awaited without a recorded policy, which the decider never produces. */
const NO_ACTIVATION_STEPS: LinkActivationPolicy = { coolingOffMinutes: 0, customerConfirmationRequired: true };

/** Folds one event into the state; events that change no status (evidence such as KycMatched) leave it as is. */
export const evolve = (state: LinkState, event: LinkEvent): LinkState => {
  if (event.type === 'LinkRequested') {
    const { data } = event;
    return {
      status: 'awaiting_bank_authentication',
      link: {
        linkId: data.linkId,
        paymentAppId: data.paymentAppId,
        customerReference: data.customerReference,
        bankAccount: data.bankAccount,
        deviceId: data.deviceId,
        ...(data.endUserAddressKey ? { endUserAddressKey: data.endUserAddressKey } : {}),
        requestedAt: data.at,
        expiresAt: data.expiresAt,
      },
    };
  }
  if (event.type === 'LinkRequestAbandoned') {
    return state.status === 'none' ? { status: 'none', abandonedAt: event.data.at } : state;
  }
  if (state.status === 'none') return state;
  const { link } = state;

  switch (event.type) {
    case 'BankAuthenticationSucceeded':
    case 'BankAuthenticationFailed':
    case 'KycMatched':
    case 'KycMismatched':
    case 'CustomerNotified':
    case 'CustomerObjected':
    case 'FraudReported':
      return state;
    case 'CustomerNotificationRequested':
      return {
        status: 'notifying_customer',
        link,
        notifiedBy: event.data.notifiedBy,
        activation: event.data.activation,
        failedNotificationAttempts: 0,
      };
    case 'CustomerNotificationAttemptFailed':
      return state.status === 'notifying_customer'
        ? { ...state, failedNotificationAttempts: Math.max(state.failedNotificationAttempts, event.data.attempt) }
        : state;
    case 'CoolingOffStarted':
      return state.status === 'notifying_customer'
        ? {
            status: 'cooling_off',
            link,
            activation: state.activation,
            coolingOffUntil: event.data.until,
            customerConfirmed: false,
          }
        : state;
    case 'CustomerConfirmationAwaited':
      return {
        status: 'awaiting_customer_confirmation',
        link,
        activation: 'activation' in state ? state.activation : NO_ACTIVATION_STEPS,
      };
    case 'CustomerConfirmed':
      return state.status === 'cooling_off' ? { ...state, customerConfirmed: true } : state;
    case 'LinkActivated':
      return {
        status: 'active',
        link,
        activatedAt: event.data.at,
        usage: {
          boundDeviceId: link.deviceId,
          limits: NO_DEBIT_LIMITS,
          ...(event.data.initialLimits ? { initialLimits: event.data.initialLimits } : {}),
        },
      };
    case 'LinkSuspended':
      return state.status === 'active'
        ? {
            status: 'suspended',
            link,
            activatedAt: state.activatedAt,
            usage: state.usage,
            suspendedAt: event.data.at,
            suspendedBy: event.data.by,
            suspensionReason: event.data.reason,
          }
        : state;
    case 'LinkReinstated':
      return state.status === 'suspended'
        ? { status: 'active', link, activatedAt: state.activatedAt, usage: state.usage }
        : state;
    case 'LinkRejected':
      return {
        status: 'rejected',
        link,
        rejectedAt: event.data.at,
        reason: event.data.reason,
        detail: event.data.detail,
      };
    case 'LinkExpired':
      return {
        status: 'expired',
        link,
        expiredAt: event.data.at,
        ...(event.data.reason === 'dormant'
          ? { dormant: { lastUsedAt: event.data.lastUsedAt ?? event.data.at, days: event.data.dormancyDays ?? 0 } }
          : {}),
      };
    case 'LinkRevoked':
      return { status: 'revoked', link, revokedAt: event.data.at, revokedBy: event.data.by, reason: event.data.reason };
    case 'DeviceRebindingRequested':
    case 'LinkDeviceRebound':
    case 'DeviceRebindingRefused':
      return withDeviceRebinding(state, event);
    case 'LinkLimitsChanged':
    case 'LinkLimitRaiseRequested':
    case 'LinkLimitRaiseWithdrawn':
      return evolveLimits(state, event);
    default:
      return assertNever(event, 'link event');
  }
};
