import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { LegacyBankRecord, LegacyBankRecords } from '../../application/ports/legacy-bank-records.port';
import type { BankLinkPolicy } from '../../domain/link/bank-link-policy';

const date = (value: Date | string) => new Date(value);
const dateOrNull = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * The `banks` and `bank_webhook_keys` tables of deployments from before banks had their own stream. Read
 * only; a deployment that never had them (every new one) has nothing to import.
 */
export class SqlLegacyBankRecords implements LegacyBankRecords {
  constructor(private readonly sql: SqlExecutor) {}

  async banks(): Promise<LegacyBankRecord[]> {
    const [tables] = await this.sql.query<{ banks: boolean; keys: boolean }>(
      `SELECT to_regclass('banks') IS NOT NULL AS banks, to_regclass('bank_webhook_keys') IS NOT NULL AS keys`,
    );
    if (!tables?.banks) return [];
    const banks = await this.sql.query<{
      code: string;
      name: string;
      policy: BankLinkPolicy;
      suspended_at: Date | string | null;
      suspension_reason: string | null;
      created_at: Date | string;
    }>('SELECT code, name, policy, suspended_at, suspension_reason, created_at FROM banks ORDER BY code');
    const keys = tables.keys
      ? await this.sql.query<{
          bank_code: string;
          key_id: string;
          kind: 'hmac' | 'ed25519';
          material_sealed: string;
          not_before: Date | string | null;
          not_after: Date | string | null;
          created_at: Date | string;
        }>(
          `SELECT bank_code, key_id, kind, material_sealed, not_before, not_after, created_at
           FROM bank_webhook_keys ORDER BY bank_code, created_at, key_id`,
        )
      : [];
    return banks.map((row) => ({
      bankCode: row.code,
      name: row.name,
      policy: row.policy,
      suspendedAt: dateOrNull(row.suspended_at),
      suspensionReason: row.suspension_reason,
      createdAt: date(row.created_at),
      webhookKeys: keys
        .filter((key) => key.bank_code === row.code)
        .map((key) => ({
          keyId: key.key_id,
          kind: key.kind,
          materialSealed: key.material_sealed,
          notBefore: dateOrNull(key.not_before),
          notAfter: dateOrNull(key.not_after),
          createdAt: date(key.created_at),
        })),
    }));
  }
}
