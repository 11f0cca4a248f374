import { randomUUID } from 'node:crypto';
import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { bankRegistryStream, legacyBankKillSwitchStream } from '../../bank-streams';
import { LEGACY_BANK_RECORDS, type LegacyBankRecord } from '../../ports/legacy-bank-records.port';
import {
  type BankHandlerSpecification,
  bankHandlerSpecification,
  fakeSealer,
  operatorMetadata,
  SPEC_NOW,
} from '../../testing/bank-handler-specification';
import { ImportLegacyBanksCommand } from './import-legacy-banks.command';
import { ImportLegacyBanksHandler } from './import-legacy-banks.handler';

const POLICY = {
  customerNotifiedBy: 'bank',
  coolingOffMinutes: 30,
  customerConfirmationRequired: true,
  phishingResistantFactorRequired: false,
} as const;
const CREATED = new Date('2026-06-01T00:00:00.000Z');
const system = { ...operatorMetadata, actor: { type: 'system', id: 'legacy-bank-import' } } as const;

const legacyBank = (bankCode: string, overrides: Partial<LegacyBankRecord> = {}): LegacyBankRecord => ({
  bankCode,
  name: `Old Bank ${bankCode}`,
  policy: POLICY,
  suspendedAt: null,
  suspensionReason: null,
  createdAt: CREATED,
  webhookKeys: [],
  ...overrides,
});

describe.each(SQL_BACKENDS)('importing the banks of the old tables at start, on $name', (backend) => {
  let spec: BankHandlerSpecification;
  let legacy: LegacyBankRecord[] = [];

  beforeAll(async () => {
    spec = await bankHandlerSpecification(
      backend,
      [ImportLegacyBanksHandler],
      [{ provide: LEGACY_BANK_RECORDS, useValue: { banks: async () => legacy } }],
    );
  });
  afterAll(() => spec.close());

  const killSwitch = (bankCode: string, type: 'BankSuspended' | 'BankSuspensionLifted', reason: string, at: string) =>
    spec.store.appendToStream(
      legacyBankKillSwitchStream(bankCode),
      [{ id: randomUUID(), type, data: { bankCode, reason, at }, metadata: operatorMetadata }],
      'any',
    );

  it('gives a bank its stream with its registration, suspension and keys, the sealed material copied as is', async () => {
    const sealed = await fakeSealer.seal('0401', 'whsec_old');
    legacy = [
      legacyBank('0401', {
        suspendedAt: new Date('2026-11-02T00:00:00.000Z'),
        suspensionReason: 'phishing wave',
        webhookKeys: [
          {
            keyId: 'hmac-old',
            kind: 'hmac',
            materialSealed: sealed.sealedMaterial,
            notBefore: null,
            notAfter: new Date('2027-01-01T00:00:00.000Z'),
            createdAt: CREATED,
          },
        ],
      }),
    ];
    await spec
      .given('0401', [])
      .when(new ImportLegacyBanksCommand(system))
      .then([
        {
          type: 'BankImported',
          data: {
            bankCode: '0401',
            name: 'Old Bank 0401',
            policy: POLICY,
            registeredAt: CREATED.toISOString(),
            suspension: { reason: 'phishing wave', since: '2026-11-02T00:00:00.000Z' },
            webhookKeys: [
              {
                keyId: 'hmac-old',
                kind: 'hmac',
                sealedMaterial: sealed.sealedMaterial,
                materialFingerprint: sealed.materialFingerprint,
                notBefore: null,
                notAfter: '2027-01-01T00:00:00.000Z',
                createdAt: CREATED.toISOString(),
              },
            ],
            at: SPEC_NOW,
          },
        },
      ]);
    expect((await spec.eventsOf('0401'))[0]?.metadata.actor).toEqual({ type: 'system', id: 'legacy-bank-import' });
  });

  it('imports nothing a second time, and leaves a bank with a stream alone', async () => {
    legacy = [legacyBank('0401'), legacyBank('0402')];
    await spec.store.appendToStream(
      bankRegistryStream('0402'),
      [
        {
          id: randomUUID(),
          type: 'BankRegistered',
          data: { bankCode: '0402', name: 'New name', policy: POLICY, at: SPEC_NOW },
          metadata: operatorMetadata,
        },
      ],
      'no_stream',
    );
    const result = await spec.execute(new ImportLegacyBanksCommand(system));
    expect(result).toEqual({ imported: [] });
    expect((await spec.eventsOf('0401')).map((event) => event.type)).toEqual(['BankImported']);
    expect((await spec.eventsOf('0402')).map((event) => event.type)).toEqual(['BankRegistered']);
  });

  it('takes the kill switch’s last event over the column when a crash left them apart', async () => {
    // Pulled, but the column was never set: the event, written first, is the operator's last word.
    await killSwitch('0403', 'BankSuspended', 'attack', '2026-11-03T00:00:00.000Z');
    // Lifted, but the column still says suspended.
    await killSwitch('0404', 'BankSuspended', 'attack', '2026-11-03T00:00:00.000Z');
    await killSwitch('0404', 'BankSuspensionLifted', 'fixed', '2026-11-04T00:00:00.000Z');
    legacy = [
      legacyBank('0403'),
      legacyBank('0404', { suspendedAt: new Date('2026-11-03T00:00:00.000Z'), suspensionReason: 'attack' }),
    ];
    expect(await spec.execute(new ImportLegacyBanksCommand(system))).toEqual({ imported: ['0403', '0404'] });
    const [imported0403] = await spec.eventsOf('0403');
    const [imported0404] = await spec.eventsOf('0404');
    expect(imported0403?.data).toMatchObject({ suspension: { reason: 'attack', since: '2026-11-03T00:00:00.000Z' } });
    expect(imported0404?.data).toMatchObject({ suspension: null });
  });

  it('imports each bank once when two processes start together', async () => {
    legacy = [legacyBank('0405'), legacyBank('0406')];
    const [first, second] = await Promise.all([
      spec.execute(new ImportLegacyBanksCommand(system)),
      spec.execute(new ImportLegacyBanksCommand(system)),
    ]);
    expect([...first.imported, ...second.imported].sort()).toEqual(['0405', '0406']);
    expect((await spec.eventsOf('0405')).map((event) => event.type)).toEqual(['BankImported']);
    expect((await spec.eventsOf('0406')).map((event) => event.type)).toEqual(['BankImported']);
  });
});
