import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EVENT_STORE, type EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { LinkCommandRunner } from '../../link-command-runner';
import { BANK_ACCOUNT_TOKENS } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY } from '../../ports/bank-directory.port';
import { CLOCK } from '../../ports/clock.port';
import { LINKING_SETTINGS } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { RequestLinkCommand, type RequestLinkInput } from './request-link.command';
import { RequestLinkHandler } from './request-link.handler';
import { TEST_LINKING_SETTINGS } from '../../testing/application-fixtures';

const metadata: EventMetadata = {
  actor: { type: 'payment_app', id: 'app-1' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-21T10:00:00.000Z',
};

const input: RequestLinkInput = {
  paymentAppId: 'app-1',
  customerReference: 'user-1',
  ekyc: { method: 'jpki', verifiedAt: '2026-11-21T09:00:00.000Z', attributes: { name: { kana: 'ヤマダ タロウ' } } },
  bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number: '1234567' },
  deviceId: 'device-1',
};

describe('requesting a link when starting the link fails half-way', () => {
  let sql: PgliteSqlClient;
  let commands: CommandBus;
  let vaultFails = true;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    const store = await PostgresEventStore.create(sql);
    // The one fault this test injects: sealing personal data fails after the account was claimed.
    const vault: PersonalDataVault = {
      subjectFor: () => 'sub_1',
      seal: async (_subject, value) => {
        if (vaultFails) throw new Error('key store unavailable');
        return `sealed:${JSON.stringify(value).length}`;
      },
      open: async () => undefined,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: PERSONAL_DATA_VAULT, useValue: vault },
        {
          provide: BANK_DIRECTORY,
          useValue: {
            find: async () => ({
              code: '9900',
              name: 'Sandbox Bank',
              suspended: false,
              policy: {
                customerNotifiedBy: 'service',
                coolingOffMinutes: 0,
                customerConfirmationRequired: false,
                phishingResistantFactorRequired: false,
              },
            }),
          },
        },
        { provide: BANK_ACCOUNT_TOKENS, useValue: { tokenFor: () => 'bat_test' } },
        { provide: CLOCK, useValue: { now: () => new Date('2026-11-21T10:00:00.000Z') } },
        {
          provide: LINKING_SETTINGS,
          useValue: TEST_LINKING_SETTINGS,
        },
        LinkCommandRunner,
        RequestLinkHandler,
      ],
    }).compile();
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
  });
  afterAll(() => sql.close());

  it('frees the account claim, so the same app can ask again once the fault is gone', async () => {
    await expect(commands.execute(new RequestLinkCommand(input, metadata))).rejects.toThrow('key store unavailable');

    vaultFails = false;
    const link = await commands.execute(new RequestLinkCommand(input, metadata));
    expect(link.status).toBe('awaiting_bank_authentication');
  });
});
