import type { WebhookKeyKind } from '../../domain/bank/bank.events';
import type { BankLinkPolicy } from '../../domain/link/bank-link-policy';

export const LEGACY_BANK_RECORDS = Symbol('LEGACY_BANK_RECORDS');

/** A bank as the `banks` and `bank_webhook_keys` tables held it before banks had their own stream. */
export interface LegacyBankRecord {
  bankCode: string;
  name: string;
  policy: BankLinkPolicy;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  createdAt: Date;
  webhookKeys: {
    keyId: string;
    kind: WebhookKeyKind;
    /** Sealed as the table kept it; copied as is, never opened but to fingerprint it. */
    materialSealed: string;
    notBefore: Date | null;
    notAfter: Date | null;
    createdAt: Date;
  }[];
}

/** Read only: what an older deployment left in its tables, for the import at start. */
export interface LegacyBankRecords {
  /** Every bank the tables hold, its keys oldest first; none where the tables do not exist. */
  banks(): Promise<LegacyBankRecord[]>;
}
