import type { BankLinkPolicy } from '../../../domain/link/bank-link-policy';

/** The tables banks lived in before they had their own stream, as older deployments still have them. */
export const LEGACY_BANK_TABLES = /* sql */ `
CREATE TABLE IF NOT EXISTS banks (
  code              text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
  name              text NOT NULL,
  policy            jsonb NOT NULL,
  suspended_at      timestamptz,
  suspension_reason text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS bank_webhook_keys (
  bank_code       text NOT NULL REFERENCES banks (code),
  key_id          text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('hmac', 'ed25519')),
  material_sealed text NOT NULL,
  not_before      timestamptz,
  not_after       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bank_code, key_id)
);
`;

export interface LegacyBankRow {
  code: string;
  name: string;
  policy: BankLinkPolicy;
  suspendedAt?: Date;
  suspensionReason?: string;
  createdAt?: Date;
  keys?: {
    keyId: string;
    kind: 'hmac' | 'ed25519';
    materialSealed: string;
    notBefore?: Date;
    notAfter?: Date;
    createdAt?: Date;
  }[];
}

/** Rows as the old registry wrote them (key material sealed by the caller, as it did). */
export const legacyBankInserts = (bank: LegacyBankRow): { sql: string; params: unknown[] }[] => [
  {
    sql: `INSERT INTO banks (code, name, policy, suspended_at, suspension_reason, created_at)
          VALUES ($1, $2, $3::jsonb, $4, $5, COALESCE($6, now()))`,
    params: [
      bank.code,
      bank.name,
      JSON.stringify(bank.policy),
      bank.suspendedAt ?? null,
      bank.suspensionReason ?? null,
      bank.createdAt ?? null,
    ],
  },
  ...(bank.keys ?? []).map((key) => ({
    sql: `INSERT INTO bank_webhook_keys (bank_code, key_id, kind, material_sealed, not_before, not_after, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now()))`,
    params: [
      bank.code,
      key.keyId,
      key.kind,
      key.materialSealed,
      key.notBefore ?? null,
      key.notAfter ?? null,
      key.createdAt ?? null,
    ],
  })),
];
