import { linkDecider } from './link.decider';
import type { LinkEvent } from './link-events';
import { isTerminal, type LinkFacts, type LinkState } from './link-state';
import { NO_DEBIT_LIMITS } from './link-usage';
import {
  ACTIVATED_AT,
  activationPolicy,
  bankAccount,
  COOLING_OFF_UNTIL,
  coolingOff,
  EXPIRES_AT,
  HISTORIES,
  LATER,
  LINK_ID,
  notifyingCustomer,
  REQUESTED_AT,
  suspended,
} from './testing/link-fixtures';

const stateAfter = (events: readonly LinkEvent[]): LinkState =>
  events.reduce(linkDecider.evolve, linkDecider.initialState());

const link: LinkFacts = {
  linkId: LINK_ID,
  paymentAppId: 'sandbox-app',
  customerReference: 'user-123',
  bankAccount,
  deviceId: 'device-abc',
  requestedAt: REQUESTED_AT,
  expiresAt: EXPIRES_AT,
};

describe('evolve', () => {
  it('starts from no link', () => {
    expect(stateAfter([])).toEqual({ status: 'none' });
  });

  it.each(Object.entries(HISTORIES))('reaches %s through its history', (status, events) => {
    expect(stateAfter(events).status).toBe(status);
  });

  it('keeps what the link is from its request', () => {
    expect(stateAfter(HISTORIES.awaiting_bank_authentication)).toEqual({
      status: 'awaiting_bank_authentication',
      link,
    });
  });

  it('keeps the bank policy while notifying, and counts failed attempts', () => {
    const activation = activationPolicy({ coolingOffMinutes: 60 });
    const attemptFailed: LinkEvent = {
      type: 'CustomerNotificationAttemptFailed',
      data: { linkId: LINK_ID, at: LATER, attempt: 2, reason: 'sms_undeliverable' },
    };
    expect(stateAfter([...notifyingCustomer(activation), attemptFailed])).toEqual({
      status: 'notifying_customer',
      link,
      notifiedBy: 'service',
      activation,
      failedNotificationAttempts: 2,
    });
  });

  it('remembers until when the cooling-off lasts and whether the customer confirmed during it', () => {
    const confirmed: LinkEvent = { type: 'CustomerConfirmed', data: { linkId: LINK_ID, at: LATER } };
    expect(stateAfter([...coolingOff(true), confirmed])).toEqual({
      status: 'cooling_off',
      link,
      activation: activationPolicy({ coolingOffMinutes: 60, customerConfirmationRequired: true }),
      coolingOffUntil: COOLING_OFF_UNTIL,
      customerConfirmed: true,
    });
  });

  it('records who suspended a link and why', () => {
    expect(stateAfter(suspended())).toEqual({
      status: 'suspended',
      link,
      activatedAt: ACTIVATED_AT,
      usage: { boundDeviceId: link.deviceId, limits: NO_DEBIT_LIMITS },
      suspendedAt: LATER,
      suspendedBy: 'operator',
      suspensionReason: 'bank kill switch',
    });
  });

  it('reinstates a suspended link as it was when activated', () => {
    const reinstated: LinkEvent = {
      type: 'LinkReinstated',
      data: { linkId: LINK_ID, at: LATER, by: 'operator', reason: 'fixed' },
    };
    expect(stateAfter([...suspended(), reinstated])).toEqual({
      status: 'active',
      link,
      activatedAt: ACTIVATED_AT,
      usage: { boundDeviceId: link.deviceId, limits: NO_DEBIT_LIMITS },
    });
  });

  it('keeps the reason of a terminal state', () => {
    expect(stateAfter(HISTORIES.rejected)).toMatchObject({ status: 'rejected', reason: 'bank_authentication_failed' });
    expect(stateAfter(HISTORIES.revoked)).toMatchObject({
      status: 'revoked',
      revokedBy: 'payment_app',
      reason: 'user closed the wallet',
    });
    expect(stateAfter(HISTORIES.expired)).toMatchObject({ status: 'expired', expiredAt: EXPIRES_AT });
  });

  it('ignores events that come before the link was requested', () => {
    expect(stateAfter([{ type: 'LinkActivated', data: { linkId: LINK_ID, at: LATER } }])).toEqual({ status: 'none' });
  });
});

describe('isTerminal', () => {
  it.each(['rejected', 'expired', 'revoked'] as const)('counts %s as over', (status) => {
    expect(isTerminal(status)).toBe(true);
  });

  it.each([
    'none',
    'awaiting_bank_authentication',
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
  ] as const)('counts %s as not over', (status) => {
    expect(isTerminal(status)).toBe(false);
  });
});
