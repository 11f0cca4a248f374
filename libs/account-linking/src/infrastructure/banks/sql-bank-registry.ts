import type { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { WebhookVerificationKey } from '@lib/platform/webhooks/webhook-key';
import type { BankDirectory, BankProfile } from '../../application/ports/bank-directory.port';
import type { BankLinkPolicy } from '../../domain/link/bank-link-policy';

export const bankRegistrySchema = /* sql */ `
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

export const DEFAULT_BANK_POLICY: BankLinkPolicy = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: false,
};

export interface NewWebhookKey {
  keyId: string;
  kind: 'hmac' | 'ed25519';
  /** `whsec_…` for HMAC, the public key for Ed25519. */
  material: string;
  notBefore?: Date;
  notAfter?: Date;
}

/** A bank as operators see it: its policy, its kill switch and its keys' validity, never their material. */
export interface BankRegistration {
  code: string;
  name: string;
  policy: BankLinkPolicy;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  createdAt: Date;
}

export interface WebhookKeyValidityView {
  keyId: string;
  kind: 'hmac' | 'ed25519';
  notBefore: Date | null;
  notAfter: Date | null;
  createdAt: Date;
}

/** Banks taking part, their linking policy and their webhook keys (sealed at rest: HMAC secrets are secrets). */
export class SqlBankRegistry implements BankDirectory {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async ensureSchema(run: (script: string) => Promise<void>): Promise<void> {
    await run(bankRegistrySchema);
  }

  async upsertBank(bank: { code: string; name: string; policy: BankLinkPolicy }): Promise<void> {
    await this.sql.query(
      `INSERT INTO banks (code, name, policy) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, policy = EXCLUDED.policy`,
      [bank.code, bank.name, JSON.stringify(bank.policy)],
    );
  }

  async putWebhookKey(bankCode: string, key: NewWebhookKey): Promise<void> {
    const sealed = await this.cipher.encrypt(`bank-keys-${bankCode}`, key.material);
    await this.sql.query(
      `INSERT INTO bank_webhook_keys (bank_code, key_id, kind, material_sealed, not_before, not_after)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (bank_code, key_id) DO UPDATE SET kind = EXCLUDED.kind, material_sealed = EXCLUDED.material_sealed,
         not_before = EXCLUDED.not_before, not_after = EXCLUDED.not_after`,
      [bankCode, key.keyId, key.kind, sealed, key.notBefore ?? null, key.notAfter ?? null],
    );
  }

  /** Adds a key under a new id; false, and nothing written, when the bank already has a key with that id. */
  async addWebhookKey(bankCode: string, key: NewWebhookKey): Promise<boolean> {
    const sealed = await this.cipher.encrypt(`bank-keys-${bankCode}`, key.material);
    const rows = await this.sql.query(
      `INSERT INTO bank_webhook_keys (bank_code, key_id, kind, material_sealed, not_before, not_after)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (bank_code, key_id) DO NOTHING
       RETURNING 1`,
      [bankCode, key.keyId, key.kind, sealed, key.notBefore ?? null, key.notAfter ?? null],
    );
    return rows.length === 1;
  }

  /** Ends a key's validity (the second half of a rotation); false when the bank has no such key. */
  async setWebhookKeyNotAfter(bankCode: string, keyId: string, notAfter: Date): Promise<boolean> {
    const rows = await this.sql.query(
      'UPDATE bank_webhook_keys SET not_after = $3 WHERE bank_code = $1 AND key_id = $2 RETURNING 1',
      [bankCode, keyId, notAfter],
    );
    return rows.length === 1;
  }

  async registration(bankCode: string): Promise<BankRegistration | undefined> {
    const [row] = await this.sql.query<{
      code: string;
      name: string;
      policy: BankLinkPolicy;
      suspended_at: Date | null;
      suspension_reason: string | null;
      created_at: Date;
    }>('SELECT code, name, policy, suspended_at, suspension_reason, created_at FROM banks WHERE code = $1', [bankCode]);
    return (
      row && {
        code: row.code,
        name: row.name,
        policy: row.policy,
        suspendedAt: row.suspended_at === null ? null : new Date(row.suspended_at),
        suspensionReason: row.suspension_reason,
        createdAt: new Date(row.created_at),
      }
    );
  }

  /** The bank's keys, oldest first: ids, kinds and validity only. */
  async webhookKeyValidity(bankCode: string): Promise<WebhookKeyValidityView[]> {
    const rows = await this.sql.query<{
      key_id: string;
      kind: 'hmac' | 'ed25519';
      not_before: Date | null;
      not_after: Date | null;
      created_at: Date;
    }>(
      `SELECT key_id, kind, not_before, not_after, created_at FROM bank_webhook_keys
       WHERE bank_code = $1 ORDER BY created_at, key_id`,
      [bankCode],
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      kind: row.kind,
      notBefore: row.not_before === null ? null : new Date(row.not_before),
      notAfter: row.not_after === null ? null : new Date(row.not_after),
      createdAt: new Date(row.created_at),
    }));
  }

  async find(bankCode: string): Promise<BankProfile | undefined> {
    const [row] = await this.sql.query<{ code: string; name: string; policy: BankLinkPolicy; suspended: boolean }>(
      'SELECT code, name, policy, suspended_at IS NOT NULL AS suspended FROM banks WHERE code = $1',
      [bankCode],
    );
    return row && { code: row.code, name: row.name, policy: row.policy, suspended: row.suspended };
  }

  async webhookKeys(bankCode: string): Promise<WebhookVerificationKey[]> {
    const rows = await this.sql.query<{
      key_id: string;
      kind: 'hmac' | 'ed25519';
      material_sealed: string;
      not_before: Date | null;
      not_after: Date | null;
    }>('SELECT key_id, kind, material_sealed, not_before, not_after FROM bank_webhook_keys WHERE bank_code = $1', [
      bankCode,
    ]);
    const keys: WebhookVerificationKey[] = [];
    for (const row of rows) {
      const material = await this.cipher.decrypt(row.material_sealed);
      if (typeof material !== 'string') continue;
      const validity = {
        ...(row.not_before ? { notBefore: new Date(row.not_before) } : {}),
        ...(row.not_after ? { notAfter: new Date(row.not_after) } : {}),
      };
      keys.push(
        row.kind === 'hmac'
          ? { keyId: row.key_id, kind: 'hmac', secret: material, ...validity }
          : { keyId: row.key_id, kind: 'ed25519', publicKey: material, ...validity },
      );
    }
    return keys;
  }

  async setSuspended(bankCode: string, reason: string | undefined): Promise<void> {
    await this.sql.query(
      reason === undefined
        ? 'UPDATE banks SET suspended_at = NULL, suspension_reason = NULL WHERE code = $1'
        : 'UPDATE banks SET suspended_at = now(), suspension_reason = $2 WHERE code = $1',
      reason === undefined ? [bankCode] : [bankCode, reason],
    );
  }
}
