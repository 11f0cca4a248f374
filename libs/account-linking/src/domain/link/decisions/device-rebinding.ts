import { DomainError } from '../../domain-error';
import { assessBankAuthentication } from '../../policies/bank-authentication-strength.policy';
import type { RecordDeviceReauthenticated, RequestDeviceRebinding } from '../link-commands';
import type { DeviceRebindingRefused, DeviceRebindingRequested, LinkDeviceRebound, LinkEvent } from '../link-events';
import type { ExistingLinkState, LinkState } from '../link-state';
import { existingLink, notInExpectedState } from './link-state-guards';

/**
 * R9: the app asks to bind an active link to another device. Only the request is recorded: the link stays
 * bound to its device until the bank re-authenticates the customer. Asking again for the device already
 * pending changes nothing; asking for yet another device replaces the pending request (the bank's answer
 * must name the device of the latest one).
 */
export const requestDeviceRebinding = (command: RequestDeviceRebinding, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  const { deviceId, now, bankSuspended } = command.data;
  if (existing.status !== 'active') {
    throw new DomainError('link_not_active', `a link that is ${existing.status} cannot be bound to another device`);
  }
  if (bankSuspended) throw new DomainError('bank_suspended', 'linking with this bank is suspended');
  const { usage, link } = existing;
  if (usage.boundDeviceId === deviceId) {
    throw new DomainError('device_already_bound', 'the link is already bound to this device');
  }
  if (usage.rebinding?.deviceId === deviceId) return [];
  const requested: DeviceRebindingRequested = {
    type: 'DeviceRebindingRequested',
    data: { linkId: link.linkId, at: now, deviceId },
  };
  return [requested];
};

/**
 * R9 with R2: the bank's re-authentication is judged by the same strength policy as the first
 * authentication (knowledge alone never suffices; the bank's policy may demand a phishing-resistant
 * factor). Strong: the link is bound to the new device. Weak: the request is refused, recorded, and the link
 * stays bound to its device.
 */
export const recordDeviceReauthenticated = (command: RecordDeviceReauthenticated, state: LinkState): LinkEvent[] => {
  const existing = existingLink(state, command.type);
  if (existing.status !== 'active') throw notInExpectedState(command.type, existing);
  const { data } = command;
  const { usage, link } = existing;
  if (usage.rebinding?.deviceId !== data.deviceId) {
    throw new DomainError(
      'device_rebinding_not_pending',
      'no re-binding of the link to this device is pending: the app did not ask for it, or asked for another',
    );
  }
  const authentication = assessBankAuthentication(data.methods, {
    phishingResistantFactorRequired: data.bankPolicy.phishingResistantFactorRequired,
  });
  if (!authentication.strong) {
    const refused: DeviceRebindingRefused = {
      type: 'DeviceRebindingRefused',
      data: {
        linkId: link.linkId,
        at: data.now,
        deviceId: data.deviceId,
        reason: 'weak_bank_authentication',
        detail: `bank re-authentication too weak (${authentication.reason}): ${data.methods.join(', ') || 'no methods'}`,
        authentication: { methods: data.methods, factorKinds: authentication.kinds, weakness: authentication.reason },
      },
    };
    return [refused];
  }
  const rebound: LinkDeviceRebound = {
    type: 'LinkDeviceRebound',
    data: {
      linkId: link.linkId,
      at: data.now,
      deviceId: data.deviceId,
      previousDeviceId: usage.boundDeviceId,
      methods: data.methods,
      factorKinds: authentication.kinds,
      phishingResistant: authentication.phishingResistant,
      authenticatedAt: data.authenticatedAt,
      customerNotifiedBy: data.bankPolicy.customerNotifiedBy,
    },
  };
  return [rebound];
};

type DeviceRebindingEvent = DeviceRebindingRequested | LinkDeviceRebound | DeviceRebindingRefused;

/** Folds a re-binding event into the usage terms of an active (or suspended) link; other states keep none. */
export const withDeviceRebinding = (state: ExistingLinkState, event: DeviceRebindingEvent): ExistingLinkState => {
  if (state.status !== 'active' && state.status !== 'suspended') return state;
  const { rebinding: _pending, ...settled } = state.usage;
  switch (event.type) {
    case 'DeviceRebindingRequested':
      return {
        ...state,
        usage: { ...settled, rebinding: { deviceId: event.data.deviceId, requestedAt: event.data.at } },
      };
    case 'LinkDeviceRebound':
      return { ...state, usage: { ...settled, boundDeviceId: event.data.deviceId } };
    case 'DeviceRebindingRefused':
      return { ...state, usage: settled };
  }
};
