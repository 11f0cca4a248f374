import type { BankLinkPolicy } from '../link/bank-link-policy';
import { DeciderSpecification } from '../testing/decider-specification';
import type { BankEvent, SealedWebhookKey } from './bank.events';
import { bankDecider, evolveBank } from './bank.decider';
import { initialBankState } from './bank.state';

const given = DeciderSpecification.for(bankDecider);

const BANK = '0005';
const EARLIER = '2026-11-01T09:00:00.000Z';
const NOW = '2026-11-20T12:00:00.000Z';
const POLICY: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};
const STRICTER: BankLinkPolicy = { ...POLICY, coolingOffMinutes: 60, phishingResistantFactorRequired: true };

const registered = (name = 'みずほ銀行', policy = POLICY): BankEvent => ({
  type: 'BankRegistered',
  data: { bankCode: BANK, name, policy, at: EARLIER },
});
const suspended = (reason = 'phishing wave', at = EARLIER): BankEvent => ({
  type: 'BankSuspended',
  data: { bankCode: BANK, reason, at },
});
const aKey = (keyId: string, overrides: Partial<SealedWebhookKey> = {}): SealedWebhookKey => ({
  keyId,
  kind: 'hmac',
  sealedMaterial: `pd1.sealed-${keyId}`,
  materialFingerprint: `wkf_${keyId}`,
  notBefore: null,
  notAfter: null,
  ...overrides,
});
const keyAdded = (key: SealedWebhookKey, at = EARLIER): BankEvent => ({
  type: 'BankWebhookKeyAdded',
  data: { bankCode: BANK, ...key, secretGenerated: false, at },
});

const register = (name = 'みずほ銀行', policy: BankLinkPolicy = POLICY) =>
  ({ type: 'RegisterBank', data: { bankCode: BANK, name, policy, now: NOW } }) as const;
const suspend = (reason = 'reverse brute force') =>
  ({ type: 'SuspendBank', data: { bankCode: BANK, reason, now: NOW } }) as const;
const lift = { type: 'LiftBankSuspension', data: { bankCode: BANK, now: NOW } } as const;
const addKey = (key: SealedWebhookKey, secretGenerated = false) =>
  ({ type: 'AddBankWebhookKey', data: { bankCode: BANK, key, secretGenerated, now: NOW } }) as const;
const provisionKey = (key: SealedWebhookKey) =>
  ({ type: 'ProvisionBankWebhookKey', data: { bankCode: BANK, key, secretGenerated: false, now: NOW } }) as const;
const endKey = (keyId: string, notAfter: string) =>
  ({ type: 'EndBankWebhookKeyValidity', data: { bankCode: BANK, keyId, notAfter, now: NOW } }) as const;

describe('RegisterBank', () => {
  it('registers a new bank with its name and policy', () => {
    given([])
      .when(register())
      .then([{ type: 'BankRegistered', data: { bankCode: BANK, name: 'みずほ銀行', policy: POLICY, at: NOW } }]);
  });

  it('records a changed policy with what it replaced', () => {
    given([registered()])
      .when(register('みずほ銀行', STRICTER))
      .then([
        {
          type: 'BankUpdated',
          data: {
            bankCode: BANK,
            name: 'みずほ銀行',
            policy: STRICTER,
            previous: { name: 'みずほ銀行', policy: POLICY },
            at: NOW,
          },
        },
      ]);
  });

  it('records a changed name', () => {
    given([registered()])
      .when(register('Mizuho'))
      .then([
        {
          type: 'BankUpdated',
          data: {
            bankCode: BANK,
            name: 'Mizuho',
            policy: POLICY,
            previous: { name: 'みずほ銀行', policy: POLICY },
            at: NOW,
          },
        },
      ]);
  });

  it('changes nothing when the bank is registered again as it is', () => {
    given([registered()]).when(register()).thenNothingHappened();
  });

  it('keeps only the policy’s own fields', () => {
    const withExtra = { ...POLICY, limitYen: 1 } as BankLinkPolicy;
    given([registered()]).when(register('みずほ銀行', withExtra)).thenNothingHappened();
  });
});

describe('SuspendBank (R7)', () => {
  it('pulls the kill switch of a registered bank', () => {
    given([registered()])
      .when(suspend())
      .then([{ type: 'BankSuspended', data: { bankCode: BANK, reason: 'reverse brute force', at: NOW } }]);
  });

  it('records a second pull with its own reason', () => {
    given([registered(), suspended()])
      .when(suspend('still under attack'))
      .then([{ type: 'BankSuspended', data: { bankCode: BANK, reason: 'still under attack', at: NOW } }]);
  });

  it('refuses a bank that is not registered', () => {
    given([]).when(suspend()).thenThrows('unknown_bank');
  });
});

describe('LiftBankSuspension', () => {
  it('lifts a pulled kill switch', () => {
    given([registered(), suspended()])
      .when(lift)
      .then([{ type: 'BankSuspensionLifted', data: { bankCode: BANK, at: NOW } }]);
  });

  it('keeps a reason when one is given', () => {
    given([registered(), suspended()])
      .when({ type: 'LiftBankSuspension', data: { bankCode: BANK, reason: 'fixed', now: NOW } })
      .then([{ type: 'BankSuspensionLifted', data: { bankCode: BANK, reason: 'fixed', at: NOW } }]);
  });

  it('records nothing when the switch is off', () => {
    given([registered()]).when(lift).thenNothingHappened();
    given([registered(), suspended(), { type: 'BankSuspensionLifted', data: { bankCode: BANK, at: EARLIER } }])
      .when(lift)
      .thenNothingHappened();
  });

  it('refuses a bank that is not registered', () => {
    given([]).when(lift).thenThrows('unknown_bank');
  });
});

describe('AddBankWebhookKey', () => {
  it('adds a key under a new id, its material sealed', () => {
    given([registered()])
      .when(addKey(aKey('hmac-1'), true))
      .then([
        { type: 'BankWebhookKeyAdded', data: { bankCode: BANK, ...aKey('hmac-1'), secretGenerated: true, at: NOW } },
      ]);
  });

  it('refuses an id the bank already has', () => {
    given([registered(), keyAdded(aKey('hmac-1'))])
      .when(addKey(aKey('hmac-1', { sealedMaterial: 'pd1.other' })))
      .thenThrows('webhook_key_exists');
  });

  it('refuses a validity that ends before it starts', () => {
    given([registered()])
      .when(addKey(aKey('k', { notBefore: NOW, notAfter: EARLIER })))
      .thenThrows('webhook_key_validity_inverted');
  });

  it('refuses a bank that is not registered', () => {
    given([])
      .when(addKey(aKey('hmac-1')))
      .thenThrows('unknown_bank');
  });
});

describe('ProvisionBankWebhookKey', () => {
  it('adds the key when the bank does not have it yet', () => {
    given([registered()])
      .when(provisionKey(aKey('sandbox-hmac-1')))
      .then([
        {
          type: 'BankWebhookKeyAdded',
          data: { bankCode: BANK, ...aKey('sandbox-hmac-1'), secretGenerated: false, at: NOW },
        },
      ]);
  });

  it('changes nothing when the same material and validity come again, sealed anew', () => {
    given([registered(), keyAdded(aKey('sandbox-hmac-1'))])
      .when(provisionKey(aKey('sandbox-hmac-1', { sealedMaterial: 'pd1.sealed-again' })))
      .thenNothingHappened();
  });

  it('replaces the key when its material changed', () => {
    const replacement = aKey('sandbox-hmac-1', { sealedMaterial: 'pd1.new', materialFingerprint: 'wkf_new' });
    given([registered(), keyAdded(aKey('sandbox-hmac-1'))])
      .when(provisionKey(replacement))
      .then([
        { type: 'BankWebhookKeyReplaced', data: { bankCode: BANK, ...replacement, secretGenerated: false, at: NOW } },
      ]);
  });

  it('replaces the key when an operator had ended it', () => {
    given([
      registered(),
      keyAdded(aKey('sandbox-hmac-1')),
      {
        type: 'BankWebhookKeyValidityChanged',
        data: { bankCode: BANK, keyId: 'sandbox-hmac-1', notAfter: EARLIER, previousNotAfter: null, at: EARLIER },
      },
    ])
      .when(provisionKey(aKey('sandbox-hmac-1')))
      .then([
        {
          type: 'BankWebhookKeyReplaced',
          data: { bankCode: BANK, ...aKey('sandbox-hmac-1'), secretGenerated: false, at: NOW },
        },
      ]);
  });

  it('replaces an imported key whose material could not be opened', () => {
    given([registered(), keyAdded(aKey('sandbox-hmac-1', { materialFingerprint: null }))])
      .when(provisionKey(aKey('sandbox-hmac-1')))
      .then([
        {
          type: 'BankWebhookKeyReplaced',
          data: { bankCode: BANK, ...aKey('sandbox-hmac-1'), secretGenerated: false, at: NOW },
        },
      ]);
  });
});

describe('EndBankWebhookKeyValidity', () => {
  it('sets the end of a key’s validity, keeping the end it replaced', () => {
    given([registered(), keyAdded(aKey('hmac-1', { notAfter: '2027-06-01T00:00:00.000Z' }))])
      .when(endKey('hmac-1', '2027-01-01T00:00:00.000Z'))
      .then([
        {
          type: 'BankWebhookKeyValidityChanged',
          data: {
            bankCode: BANK,
            keyId: 'hmac-1',
            notAfter: '2027-01-01T00:00:00.000Z',
            previousNotAfter: '2027-06-01T00:00:00.000Z',
            at: NOW,
          },
        },
      ]);
  });

  it('refuses an end not after the key’s start', () => {
    given([registered(), keyAdded(aKey('hmac-1', { notBefore: '2027-01-01T00:00:00.000Z' }))])
      .when(endKey('hmac-1', '2027-01-01T00:00:00.000Z'))
      .thenThrows('webhook_key_validity_inverted');
  });

  it('refuses a key the bank does not have, and a bank that is not registered', () => {
    given([registered()]).when(endKey('k9', NOW)).thenThrows('webhook_key_not_found');
    given([]).when(endKey('k9', NOW)).thenThrows('unknown_bank');
  });
});

describe('ImportBank', () => {
  const snapshot = {
    bankCode: BANK,
    name: 'みずほ銀行',
    policy: POLICY,
    registeredAt: EARLIER,
    suspension: { reason: 'phishing wave', since: EARLIER },
    webhookKeys: [{ ...aKey('hmac-1'), createdAt: EARLIER }],
  };

  it('imports a bank that has no stream yet, as the old tables had it', () => {
    given([])
      .when({ type: 'ImportBank', data: { ...snapshot, now: NOW } })
      .then([{ type: 'BankImported', data: { ...snapshot, at: NOW } }]);
  });

  it('leaves a bank that already has its stream alone', () => {
    given([registered()])
      .when({ type: 'ImportBank', data: { ...snapshot, now: NOW } })
      .thenNothingHappened();
  });
});

describe('the bank’s state', () => {
  const fold = (events: BankEvent[]) => events.reduce(evolveBank, initialBankState());

  it('is the registration, the kill switch and the keys, oldest first', () => {
    const state = fold([
      registered(),
      keyAdded(aKey('hmac-1')),
      keyAdded(aKey('ed-2', { kind: 'ed25519' }), NOW),
      suspended('phishing wave', NOW),
      {
        type: 'BankUpdated',
        data: {
          bankCode: BANK,
          name: 'Mizuho',
          policy: STRICTER,
          previous: { name: 'みずほ銀行', policy: POLICY },
          at: NOW,
        },
      },
    ]);
    expect(state).toEqual({
      status: 'registered',
      bankCode: BANK,
      name: 'Mizuho',
      policy: STRICTER,
      registeredAt: EARLIER,
      suspension: { reason: 'phishing wave', since: NOW },
      webhookKeys: [
        { ...aKey('hmac-1'), createdAt: EARLIER },
        { ...aKey('ed-2', { kind: 'ed25519' }), createdAt: NOW },
      ],
    });
  });

  it('keeps a replaced key in its place, with the time it was first added', () => {
    const replacement = aKey('hmac-1', { sealedMaterial: 'pd1.new', materialFingerprint: 'wkf_new' });
    const state = fold([
      registered(),
      keyAdded(aKey('hmac-1')),
      keyAdded(aKey('hmac-2')),
      { type: 'BankWebhookKeyReplaced', data: { bankCode: BANK, ...replacement, secretGenerated: true, at: NOW } },
    ]);
    expect(state.status === 'registered' && state.webhookKeys).toEqual([
      { ...replacement, createdAt: EARLIER },
      { ...aKey('hmac-2'), createdAt: EARLIER },
    ]);
  });
});
