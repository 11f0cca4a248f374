import type { BankLinkPolicy } from '../link/bank-link-policy';
import type { DomainEvent } from '../message';
import type { Instant } from '../time';

export type WebhookKeyKind = 'hmac' | 'ed25519';

/** One of a bank's webhook keys as its stream holds it: the material only ever sealed, never in the clear. */
export interface SealedWebhookKey {
  keyId: string;
  kind: WebhookKeyKind;
  /** The `whsec_…` secret (hmac) or the bank's public key (ed25519), sealed under the bank's data key. */
  sealedMaterial: string;
  /**
   * A keyed hash of the material, so that the same material given again is known without opening it; null for
   * an imported key whose material could not be opened.
   */
  materialFingerprint: string | null;
  /** Valid from (inclusive); null: since it was added. */
  notBefore: Instant | null;
  /** Valid until (exclusive); null: open-ended. */
  notAfter: Instant | null;
}

export type BankRegistered = DomainEvent<
  'BankRegistered',
  { bankCode: string; name: string; policy: BankLinkPolicy; at: Instant }
>;

/** The name or the policy changed; `previous` keeps what it replaced, for the audit. */
export type BankUpdated = DomainEvent<
  'BankUpdated',
  {
    bankCode: string;
    name: string;
    policy: BankLinkPolicy;
    previous: { name: string; policy: BankLinkPolicy };
    at: Instant;
  }
>;

/** The kill switch (R7) was pulled, or pulled again with a new reason. */
export type BankSuspended = DomainEvent<'BankSuspended', { bankCode: string; reason: string; at: Instant }>;

export type BankSuspensionLifted = DomainEvent<
  'BankSuspensionLifted',
  { bankCode: string; reason?: string; at: Instant }
>;

export type BankWebhookKeyAdded = DomainEvent<
  'BankWebhookKeyAdded',
  SealedWebhookKey & { bankCode: string; secretGenerated: boolean; at: Instant }
>;

/** A provisioned key (the sandbox bank's, from configuration) took other material or validity under its id. */
export type BankWebhookKeyReplaced = DomainEvent<
  'BankWebhookKeyReplaced',
  SealedWebhookKey & { bankCode: string; secretGenerated: boolean; at: Instant }
>;

export type BankWebhookKeyValidityChanged = DomainEvent<
  'BankWebhookKeyValidityChanged',
  { bankCode: string; keyId: string; notAfter: Instant; previousNotAfter: Instant | null; at: Instant }
>;

/** A bank registered before banks had their own stream, imported once from the `banks` tables as it stood. */
export type BankImported = DomainEvent<
  'BankImported',
  {
    bankCode: string;
    name: string;
    policy: BankLinkPolicy;
    registeredAt: Instant;
    suspension: { reason: string | null; since: Instant } | null;
    webhookKeys: readonly (SealedWebhookKey & { createdAt: Instant })[];
    at: Instant;
  }
>;

export type BankEvent =
  | BankRegistered
  | BankUpdated
  | BankSuspended
  | BankSuspensionLifted
  | BankWebhookKeyAdded
  | BankWebhookKeyReplaced
  | BankWebhookKeyValidityChanged
  | BankImported;

export type BankEventType = BankEvent['type'];
