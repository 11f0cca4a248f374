import { randomBytes } from 'node:crypto';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { ImportLegacyBanksCommand } from '../../application/commands/import-legacy-banks/import-legacy-banks.command';
import { ImportLegacyBanksHandler } from '../../application/commands/import-legacy-banks/import-legacy-banks.handler';
import { systemClock } from '../../application/ports/clock.port';
import { CipherWebhookKeySealer } from './cipher-webhook-key-sealer';
import { SqlLegacyBankRecords } from './sql-legacy-bank-records';
import { StreamBankRegistry } from './stream-bank-registry';
import { LEGACY_BANK_TABLES, legacyBankInserts } from './testing/legacy-bank-tables';

const metadata: EventMetadata = {
  actor: { type: 'system', id: 'legacy-bank-import' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-20T12:00:00.000Z',
};
const POLICY = {
  customerNotifiedBy: 'service',
  coolingOffMinutes: 15,
  customerConfirmationRequired: false,
  phishingResistantFactorRequired: true,
} as const;

describe.each(SQL_BACKENDS)('the banks an older deployment left in its tables, on $name', (backend) => {
  let isolated: IsolatedSqlClient;

  beforeAll(async () => {
    isolated = await backend.open();
  });
  afterAll(() => isolated.dispose());

  it('are none where the tables were never made', async () => {
    expect(await new SqlLegacyBankRecords(isolated.sql).banks()).toEqual([]);
  });

  it('are imported at start with their policy, kill switch and keys, which still verify', async () => {
    const { sql } = isolated;
    const store = await PostgresEventStore.create(sql);
    const cipher = new PersonalDataCipher(sql, randomBytes(32).toString('base64'));
    await cipher.ensureSchema();
    const sealer = new CipherWebhookKeySealer(cipher, new KeyedHash(randomBytes(32).toString('base64')));
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await sql.exec(LEGACY_BANK_TABLES);
    const rows = [
      {
        code: '0005',
        name: 'みずほ銀行',
        policy: POLICY,
        suspendedAt: new Date('2026-11-02T03:04:05.000Z'),
        suspensionReason: 'phishing wave',
        createdAt: new Date('2026-05-01T00:00:00.000Z'),
        keys: [
          {
            keyId: 'hmac-1',
            kind: 'hmac' as const,
            // Sealed as the old registry sealed it.
            materialSealed: await cipher.encrypt('bank-keys-0005', secret),
            notBefore: new Date('2026-05-01T00:00:00.000Z'),
            createdAt: new Date('2026-05-01T00:00:00.000Z'),
          },
        ],
      },
      { code: '0310', name: 'GMO Bank', policy: POLICY },
    ];
    for (const row of rows) for (const insert of legacyBankInserts(row)) await sql.query(insert.sql, insert.params);

    const records = new SqlLegacyBankRecords(sql);
    expect(await records.banks()).toEqual([
      expect.objectContaining({
        bankCode: '0005',
        suspensionReason: 'phishing wave',
        webhookKeys: [expect.anything()],
      }),
      expect.objectContaining({ bankCode: '0310', suspendedAt: null, webhookKeys: [] }),
    ]);

    const importer = new ImportLegacyBanksHandler(store, records, sealer, systemClock);
    expect(await importer.execute(new ImportLegacyBanksCommand(metadata))).toEqual({ imported: ['0005', '0310'] });
    expect(await importer.execute(new ImportLegacyBanksCommand(metadata))).toEqual({ imported: [] });

    const banks = new StreamBankRegistry(store, sealer);
    expect(await banks.find('0005')).toEqual({ code: '0005', name: 'みずほ銀行', policy: POLICY, suspended: true });
    expect(await banks.current('0005')).toMatchObject({
      registeredAt: '2026-05-01T00:00:00.000Z',
      suspension: { reason: 'phishing wave', since: '2026-11-02T03:04:05.000Z' },
      webhookKeys: [{ keyId: 'hmac-1', kind: 'hmac', notBefore: '2026-05-01T00:00:00.000Z', notAfter: null }],
    });
    expect(await banks.verificationKeys('0005')).toEqual([
      { keyId: 'hmac-1', kind: 'hmac', secret, notBefore: new Date('2026-05-01T00:00:00.000Z') },
    ]);
    expect(await banks.find('0310')).toMatchObject({ suspended: false });
  });
});
