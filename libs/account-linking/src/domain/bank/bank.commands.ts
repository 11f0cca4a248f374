import type { BankLinkPolicy } from '../link/bank-link-policy';
import type { DomainCommand } from '../message';
import type { Instant } from '../time';
import type { BankImported, SealedWebhookKey } from './bank.events';

/** Registers the bank, or replaces its name and policy; the kill switch and the keys are kept. */
export type RegisterBank = DomainCommand<
  'RegisterBank',
  { bankCode: string; name: string; policy: BankLinkPolicy; now: Instant }
>;

export type SuspendBank = DomainCommand<'SuspendBank', { bankCode: string; reason: string; now: Instant }>;

export type LiftBankSuspension = DomainCommand<
  'LiftBankSuspension',
  { bankCode: string; reason?: string; now: Instant }
>;

/** An operator adds a key under a new id (the first half of a rotation). */
export type AddBankWebhookKey = DomainCommand<
  'AddBankWebhookKey',
  { bankCode: string; key: SealedWebhookKey; secretGenerated: boolean; now: Instant }
>;

/** Configuration says the key with this id is exactly so (the sandbox bank's key, seeded at every start). */
export type ProvisionBankWebhookKey = DomainCommand<
  'ProvisionBankWebhookKey',
  { bankCode: string; key: SealedWebhookKey; secretGenerated: boolean; now: Instant }
>;

/** Sets the end of a key's validity (the second half of a rotation). */
export type EndBankWebhookKeyValidity = DomainCommand<
  'EndBankWebhookKeyValidity',
  { bankCode: string; keyId: string; notAfter: Instant; now: Instant }
>;

/** Brings in a bank registered before banks had their own stream; a bank that has one keeps it. */
export type ImportBank = DomainCommand<'ImportBank', Omit<BankImported['data'], 'at'> & { now: Instant }>;

export type BankCommand =
  | RegisterBank
  | SuspendBank
  | LiftBankSuspension
  | AddBankWebhookKey
  | ProvisionBankWebhookKey
  | EndBankWebhookKeyValidity
  | ImportBank;

export type BankCommandType = BankCommand['type'];
