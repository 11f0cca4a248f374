import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { evolve } from '../link.evolve';
import type { RecordDeviceReauthenticated, RequestDeviceRebinding } from '../link-commands';
import type { DeviceRebindingRefused, DeviceRebindingRequested, LinkDeviceRebound, LinkEvent } from '../link-events';
import { initialLinkState } from '../link-state';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const REQUESTED_AT = LATER;
const REAUTHENTICATED_AT = '2026-11-21T09:04:00.000Z';
const RECORDED_AT = '2026-11-21T09:05:00.000Z';

const requestRebinding = (data: Partial<RequestDeviceRebinding['data']> = {}): RequestDeviceRebinding => ({
  type: 'RequestDeviceRebinding',
  data: { deviceId: 'device-new', bankSuspended: false, now: REQUESTED_AT, ...data },
});

const rebindingRequested = (deviceId = 'device-new'): DeviceRebindingRequested => ({
  type: 'DeviceRebindingRequested',
  data: { linkId: LINK_ID, at: REQUESTED_AT, deviceId },
});

const reauthenticated = (data: Partial<RecordDeviceReauthenticated['data']> = {}): RecordDeviceReauthenticated => ({
  type: 'RecordDeviceReauthenticated',
  data: {
    deviceId: 'device-new',
    methods: ['password', 'otp_app'],
    authenticatedAt: REAUTHENTICATED_AT,
    bankPolicy: { phishingResistantFactorRequired: false, customerNotifiedBy: 'service' },
    now: RECORDED_AT,
    ...data,
  },
});

const deviceRebound: LinkDeviceRebound = {
  type: 'LinkDeviceRebound',
  data: {
    linkId: LINK_ID,
    at: RECORDED_AT,
    deviceId: 'device-new',
    previousDeviceId: 'device-abc',
    methods: ['password', 'otp_app'],
    factorKinds: ['knowledge', 'possession'],
    phishingResistant: false,
    authenticatedAt: REAUTHENTICATED_AT,
    customerNotifiedBy: 'service',
  },
};

const pending = (): LinkEvent[] => [...HISTORIES.active, rebindingRequested()];
const usageAfter = (events: readonly LinkEvent[]) => {
  const state = events.reduce(evolve, initialLinkState());
  if (state.status !== 'active' && state.status !== 'suspended') throw new Error(`not in use: ${state.status}`);
  return state.usage;
};

const NOT_ACTIVE: HistoryName[] = [
  'awaiting_bank_authentication',
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
  'suspended',
  'revoked',
  'rejected',
  'expired',
];

describe('RequestDeviceRebinding (R9)', () => {
  it('records the request on an active link, which stays bound to its device until the bank answers', () => {
    given(HISTORIES.active).when(requestRebinding()).then([rebindingRequested()]);
    expect(usageAfter(pending())).toMatchObject({
      boundDeviceId: 'device-abc',
      rebinding: { deviceId: 'device-new', requestedAt: REQUESTED_AT },
    });
  });

  it('changes nothing when the same device is already pending', () => {
    given(pending()).when(requestRebinding()).thenNothingHappened();
  });

  it('replaces a pending request for another device with the latest one', () => {
    given(pending())
      .when(requestRebinding({ deviceId: 'device-third' }))
      .then([rebindingRequested('device-third')]);
    expect(usageAfter([...pending(), rebindingRequested('device-third')]).rebinding?.deviceId).toBe('device-third');
  });

  it('refuses the device the link is bound to already as device_already_bound', () => {
    given(HISTORIES.active)
      .when(requestRebinding({ deviceId: 'device-abc' }))
      .thenThrows('device_already_bound');
  });

  it('refuses while the bank is suspended (R7)', () => {
    given(HISTORIES.active)
      .when(requestRebinding({ bankSuspended: true }))
      .thenThrows('bank_suspended');
  });

  it('refuses a link that does not exist', () => {
    given([]).when(requestRebinding()).thenThrows('link_not_found');
  });

  it.each(NOT_ACTIVE)('refuses a link that is %s as link_not_active', (name) => {
    given(HISTORIES[name]).when(requestRebinding()).thenThrows('link_not_active');
  });
});

describe('RecordDeviceReauthenticated (R9 with R2)', () => {
  it('binds the link to the new device after a strong re-authentication, naming the device it replaced', () => {
    given(pending()).when(reauthenticated()).then([deviceRebound]);
    const usage = usageAfter([...pending(), deviceRebound]);
    expect(usage.boundDeviceId).toBe('device-new');
    expect(usage.rebinding).toBeUndefined();
  });

  it("records who tells the customer, per the bank's policy", () => {
    given(pending())
      .when(reauthenticated({ bankPolicy: { phishingResistantFactorRequired: false, customerNotifiedBy: 'bank' } }))
      .then([{ ...deviceRebound, data: { ...deviceRebound.data, customerNotifiedBy: 'bank' } }]);
  });

  it.each([
    [['pin', 'birth_date'], 'knowledge_only'],
    [['pin', 'password'], 'knowledge_only'],
    [['otp_sms'], 'fewer_than_two_factor_kinds'],
  ] as const)('refuses %j as weak (%s) and keeps the old device bound', (methods, weakness) => {
    const refusal: DeviceRebindingRefused = {
      type: 'DeviceRebindingRefused',
      data: {
        linkId: LINK_ID,
        at: RECORDED_AT,
        deviceId: 'device-new',
        reason: 'weak_bank_authentication',
        detail: `bank re-authentication too weak (${weakness}): ${methods.join(', ')}`,
        authentication: {
          methods,
          factorKinds: (methods as readonly string[]).includes('otp_sms') ? ['possession'] : ['knowledge'],
          weakness,
        },
      },
    };
    given(pending()).when(reauthenticated({ methods })).then([refusal]);
    const usage = usageAfter([...pending(), refusal]);
    expect(usage.boundDeviceId).toBe('device-abc');
    expect(usage.rebinding).toBeUndefined();
  });

  it('demands a phishing-resistant factor where the bank policy does, as at the first authentication', () => {
    const policy = { phishingResistantFactorRequired: true, customerNotifiedBy: 'service' } as const;
    given(pending())
      .when(reauthenticated({ bankPolicy: policy }))
      .then([
        expect.objectContaining({
          type: 'DeviceRebindingRefused',
          data: expect.objectContaining({
            authentication: expect.objectContaining({ weakness: 'phishing_resistant_factor_required' }),
          }),
        }),
      ]);
    given(pending())
      .when(reauthenticated({ bankPolicy: policy, methods: ['passkey', 'biometric'] }))
      .then([
        expect.objectContaining({
          type: 'LinkDeviceRebound',
          data: expect.objectContaining({ phishingResistant: true, factorKinds: ['possession', 'inherence'] }),
        }),
      ]);
  });

  it('refuses a re-authentication when no re-binding is pending', () => {
    given(HISTORIES.active).when(reauthenticated()).thenThrows('device_rebinding_not_pending');
  });

  it('refuses a re-authentication of another device than the pending one', () => {
    given(pending())
      .when(reauthenticated({ deviceId: 'device-other' }))
      .thenThrows('device_rebinding_not_pending');
  });

  it('refuses a second answer once the device is bound (the request is settled)', () => {
    given([...pending(), deviceRebound])
      .when(reauthenticated())
      .thenThrows('device_rebinding_not_pending');
  });

  it('refuses a link that was suspended meanwhile as link_not_in_expected_state, binding nothing', () => {
    given([
      ...pending(),
      { type: 'LinkSuspended', data: { linkId: LINK_ID, at: REQUESTED_AT, by: 'operator', reason: 'investigation' } },
    ])
      .when(reauthenticated())
      .thenThrows('link_not_in_expected_state');
  });

  it('refuses a link that does not exist', () => {
    given([]).when(reauthenticated()).thenThrows('link_not_found');
  });

  it('keeps the usage terms, the pending re-binding too, across a suspension and its reinstatement', () => {
    const events: LinkEvent[] = [
      ...pending(),
      { type: 'LinkSuspended', data: { linkId: LINK_ID, at: REQUESTED_AT, by: 'operator', reason: 'investigation' } },
      { type: 'LinkReinstated', data: { linkId: LINK_ID, at: REQUESTED_AT, by: 'operator', reason: 'cleared' } },
    ];
    given(events).when(reauthenticated()).then([deviceRebound]);
  });
});
