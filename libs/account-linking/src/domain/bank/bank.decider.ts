import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type { BankLinkPolicy } from '../link/bank-link-policy';
import type { InitialDebitLimitsPolicy } from '../link/link-usage';
import { isBefore } from '../time';
import type {
  AddBankWebhookKey,
  BankCommand,
  EndBankWebhookKeyValidity,
  ImportBank,
  LiftBankSuspension,
  ProvisionBankWebhookKey,
  RegisterBank,
  SuspendBank,
} from './bank.commands';
import { ACTOR_KINDS, type ActorDefencePolicy } from '../actor/actor';
import type { BankEvent, SealedWebhookKey } from './bank.events';
import { type BankState, type BankWebhookKey, initialBankState, type RegisteredBank } from './bank.state';

/** Every field of a policy, so that a new one cannot be left out of the comparison. */
const POLICY_FIELDS = {
  customerNotifiedBy: true,
  coolingOffMinutes: true,
  customerConfirmationRequired: true,
  phishingResistantFactorRequired: true,
  actorDefences: true,
  initialLimits: true,
} as const satisfies Record<keyof BankLinkPolicy, true>;

/** The actor defences of a policy with a fixed order of kinds and fields, none empty: comparable as JSON. */
const actorDefencesOf = (policy: BankLinkPolicy): ActorDefencePolicy | undefined => {
  const tightened: ActorDefencePolicy = {};
  for (const kind of ACTOR_KINDS) {
    const given = policy.actorDefences?.[kind];
    if (!given) continue;
    const settings = {
      ...(given.threshold !== undefined ? { threshold: given.threshold } : {}),
      ...(given.windowMinutes !== undefined ? { windowMinutes: given.windowMinutes } : {}),
      ...(given.blockMinutes !== undefined ? { blockMinutes: given.blockMinutes } : {}),
    };
    if (Object.keys(settings).length > 0) tightened[kind] = settings;
  }
  return Object.keys(tightened).length > 0 ? tightened : undefined;
};

/** The initial limits of a policy with a fixed field order; none when they last no day. */
const initialLimitsOf = (policy: BankLinkPolicy): InitialDebitLimitsPolicy | undefined => {
  const given = policy.initialLimits;
  if (!given || given.days <= 0) return undefined;
  return { perDebit: given.perDebit ?? null, daily: given.daily ?? null, days: given.days };
};

export const isSameBankLinkPolicy = (a: BankLinkPolicy, b: BankLinkPolicy): boolean =>
  (Object.keys(POLICY_FIELDS) as (keyof BankLinkPolicy)[]).every((field) =>
    field === 'actorDefences'
      ? JSON.stringify(actorDefencesOf(a)) === JSON.stringify(actorDefencesOf(b))
      : field === 'initialLimits'
        ? JSON.stringify(initialLimitsOf(a)) === JSON.stringify(initialLimitsOf(b))
        : a[field] === b[field],
  );

/** Only the policy's own fields, whatever else the caller's object carries. */
const policyOf = (policy: BankLinkPolicy): BankLinkPolicy => {
  const actorDefences = actorDefencesOf(policy);
  const initialLimits = initialLimitsOf(policy);
  return {
    customerNotifiedBy: policy.customerNotifiedBy,
    coolingOffMinutes: policy.coolingOffMinutes,
    customerConfirmationRequired: policy.customerConfirmationRequired,
    phishingResistantFactorRequired: policy.phishingResistantFactorRequired,
    ...(actorDefences ? { actorDefences } : {}),
    ...(initialLimits ? { initialLimits } : {}),
  };
};

/** Narrows to a registered bank, or refuses: nobody changes the kill switch or keys of a bank that does not exist. */
export const requireRegisteredBank = (
  state: BankState,
  bankCode: string,
  wording: 'takes part' | 'is registered' = 'is registered',
): RegisteredBank => {
  if (state.status === 'none') throw new DomainError('unknown_bank', `No bank with code ${bankCode} ${wording}`);
  return state;
};

const keyOf = (state: RegisteredBank, keyId: string): BankWebhookKey | undefined =>
  state.webhookKeys.find((key) => key.keyId === keyId);

const invertedValidity = () =>
  new DomainError('webhook_key_validity_inverted', 'notAfter must be later than the key’s notBefore');

const assertValidityInOrder = (notBefore: string | null, notAfter: string | null) => {
  if (notBefore !== null && notAfter !== null && !isBefore(notBefore, notAfter)) throw invertedValidity();
};

const sealedKeyOf = (key: SealedWebhookKey): SealedWebhookKey => ({
  keyId: key.keyId,
  kind: key.kind,
  sealedMaterial: key.sealedMaterial,
  materialFingerprint: key.materialFingerprint,
  notBefore: key.notBefore,
  notAfter: key.notAfter,
});

const registerBank = (command: RegisterBank, state: BankState): BankEvent[] => {
  const { bankCode, name, now } = command.data;
  const policy = policyOf(command.data.policy);
  if (state.status === 'none') return [{ type: 'BankRegistered', data: { bankCode, name, policy, at: now } }];
  // Registering a bank again as it is changes nothing and records nothing.
  if (state.name === name && isSameBankLinkPolicy(state.policy, policy)) return [];
  return [
    {
      type: 'BankUpdated',
      data: { bankCode, name, policy, previous: { name: state.name, policy: state.policy }, at: now },
    },
  ];
};

// Pulling the switch again is recorded again, with its new reason: who pulled it and why is evidence (R11).
const suspendBank = (command: SuspendBank, state: BankState): BankEvent[] => {
  const { bankCode, reason, now } = command.data;
  requireRegisteredBank(state, bankCode, 'takes part');
  return [{ type: 'BankSuspended', data: { bankCode, reason, at: now } }];
};

const liftBankSuspension = (command: LiftBankSuspension, state: BankState): BankEvent[] => {
  const { bankCode, reason, now } = command.data;
  const bank = requireRegisteredBank(state, bankCode, 'takes part');
  // Lifting a switch that is off is no fact worth recording.
  if (bank.suspension === null) return [];
  return [{ type: 'BankSuspensionLifted', data: { bankCode, ...(reason ? { reason } : {}), at: now } }];
};

const addBankWebhookKey = (command: AddBankWebhookKey, state: BankState): BankEvent[] => {
  const { bankCode, key, secretGenerated, now } = command.data;
  const bank = requireRegisteredBank(state, bankCode);
  if (keyOf(bank, key.keyId)) {
    throw new DomainError(
      'webhook_key_exists',
      `Bank ${bankCode} already has a webhook key ${key.keyId}; choose another id to rotate`,
    );
  }
  assertValidityInOrder(key.notBefore, key.notAfter);
  return [{ type: 'BankWebhookKeyAdded', data: { bankCode, ...sealedKeyOf(key), secretGenerated, at: now } }];
};

const provisionBankWebhookKey = (command: ProvisionBankWebhookKey, state: BankState): BankEvent[] => {
  const { bankCode, key, secretGenerated, now } = command.data;
  const bank = requireRegisteredBank(state, bankCode);
  assertValidityInOrder(key.notBefore, key.notAfter);
  const current = keyOf(bank, key.keyId);
  if (!current) {
    return [{ type: 'BankWebhookKeyAdded', data: { bankCode, ...sealedKeyOf(key), secretGenerated, at: now } }];
  }
  const unchanged =
    current.kind === key.kind &&
    current.materialFingerprint !== null &&
    current.materialFingerprint === key.materialFingerprint &&
    current.notBefore === key.notBefore &&
    current.notAfter === key.notAfter;
  if (unchanged) return [];
  return [{ type: 'BankWebhookKeyReplaced', data: { bankCode, ...sealedKeyOf(key), secretGenerated, at: now } }];
};

// Setting the same end again is recorded again, as every change an operator asks for is.
const endBankWebhookKeyValidity = (command: EndBankWebhookKeyValidity, state: BankState): BankEvent[] => {
  const { bankCode, keyId, notAfter, now } = command.data;
  const bank = requireRegisteredBank(state, bankCode);
  const key = keyOf(bank, keyId);
  if (!key) throw new DomainError('webhook_key_not_found', `Bank ${bankCode} has no webhook key ${keyId}`);
  assertValidityInOrder(key.notBefore, notAfter);
  return [
    {
      type: 'BankWebhookKeyValidityChanged',
      data: { bankCode, keyId, notAfter, previousNotAfter: key.notAfter, at: now },
    },
  ];
};

const importBank = (command: ImportBank, state: BankState): BankEvent[] => {
  // The bank's stream, once it exists, is the truth: the old tables never overwrite it.
  if (state.status === 'registered') return [];
  const { now, ...snapshot } = command.data;
  return [{ type: 'BankImported', data: { ...snapshot, policy: policyOf(snapshot.policy), at: now } }];
};

export const decideBank = (command: BankCommand, state: BankState): BankEvent[] => {
  switch (command.type) {
    case 'RegisterBank':
      return registerBank(command, state);
    case 'SuspendBank':
      return suspendBank(command, state);
    case 'LiftBankSuspension':
      return liftBankSuspension(command, state);
    case 'AddBankWebhookKey':
      return addBankWebhookKey(command, state);
    case 'ProvisionBankWebhookKey':
      return provisionBankWebhookKey(command, state);
    case 'EndBankWebhookKeyValidity':
      return endBankWebhookKeyValidity(command, state);
    case 'ImportBank':
      return importBank(command, state);
    default:
      return assertNever(command, 'bank command');
  }
};

const withKey = (bank: RegisteredBank, key: BankWebhookKey): RegisteredBank => ({
  ...bank,
  webhookKeys: keyOf(bank, key.keyId)
    ? bank.webhookKeys.map((existing) => (existing.keyId === key.keyId ? key : existing))
    : [...bank.webhookKeys, key],
});

export const evolveBank = (state: BankState, event: BankEvent): BankState => {
  switch (event.type) {
    case 'BankRegistered':
      return {
        status: 'registered',
        bankCode: event.data.bankCode,
        name: event.data.name,
        policy: event.data.policy,
        registeredAt: event.data.at,
        suspension: null,
        webhookKeys: [],
      };
    case 'BankImported':
      return {
        status: 'registered',
        bankCode: event.data.bankCode,
        name: event.data.name,
        policy: event.data.policy,
        registeredAt: event.data.registeredAt,
        suspension: event.data.suspension,
        webhookKeys: event.data.webhookKeys.map((key) => ({ ...sealedKeyOf(key), createdAt: key.createdAt })),
      };
    default:
      break;
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'BankUpdated':
      return { ...state, name: event.data.name, policy: event.data.policy };
    case 'BankSuspended':
      return { ...state, suspension: { reason: event.data.reason, since: event.data.at } };
    case 'BankSuspensionLifted':
      return { ...state, suspension: null };
    case 'BankWebhookKeyAdded':
      return withKey(state, { ...sealedKeyOf(event.data), createdAt: event.data.at });
    case 'BankWebhookKeyReplaced':
      // Still the same key to the operator: it keeps the time it was first added.
      return withKey(state, {
        ...sealedKeyOf(event.data),
        createdAt: keyOf(state, event.data.keyId)?.createdAt ?? event.data.at,
      });
    case 'BankWebhookKeyValidityChanged': {
      const key = keyOf(state, event.data.keyId);
      return key ? withKey(state, { ...key, notAfter: event.data.notAfter }) : state;
    }
    default:
      return assertNever(event, 'bank event');
  }
};

/** One bank's registration, policy, kill switch and webhook keys (stream `bank-registry-{code}`). */
export const bankDecider: Decider<BankState, BankCommand, BankEvent> = {
  decide: decideBank,
  evolve: evolveBank,
  initialState: initialBankState,
};
