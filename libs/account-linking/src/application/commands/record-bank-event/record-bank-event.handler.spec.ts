import { randomUUID } from 'node:crypto';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { linkDecider } from '../../../domain/link/link.decider';
import { HISTORIES, LINK_ID } from '../../../domain/link/testing/link-fixtures';
import { LINK_COMMAND_SIDE } from '../../link-command-side';
import { LinkingRefused } from '../../linking-refused.error';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import { ACTOR_KEYS } from '../../ports/actor-keys.port';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY } from '../../ports/bank-directory.port';
import { CLOCK } from '../../ports/clock.port';
import { LINKING_SETTINGS } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT } from '../../ports/personal-data-vault.port';
import { TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS } from '../../testing/application-fixtures';
import { RecordBankEventCommand } from './record-bank-event.command';
import { RecordBankEventHandler } from './record-bank-event.handler';

const NOW = '2026-11-22T09:00:00.000Z';
const bankMetadata = (bankCode: string): EventMetadata => ({
  actor: { type: 'bank', id: bankCode },
  correlationId: 'c-1',
  causationId: 'c-1',
  occurredAt: NOW,
  webhookId: `msg_${randomUUID()}`,
});

/** A readable stand-in for the keyed hash: the same account always gives the same token. */
const tokens: BankAccountTokens = {
  tokenFor: ({ bankCode, branchCode, type, number }) =>
    `bat_${Buffer.from(`${bankCode}|${branchCode}|${type}|${number}`).toString('hex')}`,
};

/** Given the events of a link in a store, when a bank's webhook comes in, then these events are recorded. */
describe("recording a bank's fraud report and account closure", () => {
  let sql: PgliteSqlClient;
  let store: PostgresEventStore;
  let commands: CommandBus;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    store = await PostgresEventStore.create(sql);
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: BANK_DIRECTORY, useValue: { find: async () => undefined } },
        { provide: PERSONAL_DATA_VAULT, useValue: {} },
        { provide: LINKING_SETTINGS, useValue: TEST_LINKING_SETTINGS },
        { provide: BANK_ACCOUNT_TOKENS, useValue: tokens },
        { provide: CLOCK, useValue: { now: () => new Date(NOW) } },
        { provide: ACTOR_KEYS, useValue: TEST_ACTOR_KEYS },
        ...LINK_COMMAND_SIDE,
        RecordBankEventHandler,
      ],
    }).compile();
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
    await store.appendToStream(
      linkStream(LINK_ID),
      HISTORIES.active.map((event) => ({ id: randomUUID(), ...event, metadata: bankMetadata('0001') })),
      'no_stream',
    );
  });
  afterAll(() => sql.close());

  it('records fraud.reported on the link as FraudReported by the bank, and leaves the link active', async () => {
    const metadata = bankMetadata('0001');
    await commands.execute(
      new RecordBankEventCommand(
        '0001',
        { type: 'fraud.reported', data: { linkId: LINK_ID, reason: 'mule account' } },
        metadata,
      ),
    );

    const events = await store.readStream(linkStream(LINK_ID));
    expect(events.at(-1)).toMatchObject({
      type: 'FraudReported',
      data: { linkId: LINK_ID, at: NOW, by: 'bank', reason: 'mule account' },
      metadata: { actor: { type: 'bank', id: '0001' }, webhookId: metadata.webhookId },
    });
    expect(events.map((event) => event.type)).toEqual([...HISTORIES.active.map((e) => e.type), 'FraudReported']);
    expect((await aggregateStream(store, linkStream(LINK_ID), linkDecider)).state.status).toBe('active');
  });

  it("refuses a fraud report on another bank's link as link_not_found, writing nothing", async () => {
    const before = await store.readStream(linkStream(LINK_ID));
    const sent = commands.execute(
      new RecordBankEventCommand(
        '0002',
        { type: 'fraud.reported', data: { linkId: LINK_ID, reason: 'x' } },
        bankMetadata('0002'),
      ),
    );
    await expect(sent).rejects.toBeInstanceOf(LinkingRefused);
    await expect(sent).rejects.toMatchObject({ code: 'link_not_found' });
    expect(await store.readStream(linkStream(LINK_ID))).toEqual(before);
  });

  it("records account.closed on the guard stream of the sender's account, keyed by its token, never its number", async () => {
    const bankAccount = { branchCode: '123', type: 'ordinary', number: '7654321' } as const;
    await commands.execute(
      new RecordBankEventCommand('0001', { type: 'account.closed', data: { bankAccount } }, bankMetadata('0001')),
    );

    const token = tokens.tokenFor({ bankCode: '0001', ...bankAccount });
    const guard = await store.readStream(bankAccountGuardStream(token));
    expect(guard).toMatchObject([
      { type: 'BankAccountClosed', data: { at: NOW }, metadata: { actor: { type: 'bank', id: '0001' } } },
    ]);
    expect(JSON.stringify(guard)).not.toContain('7654321');
  });

  it("names the account with the path's bank code: the same number at another bank is another account", async () => {
    const bankAccount = { branchCode: '123', type: 'ordinary', number: '1111111' } as const;
    await commands.execute(
      new RecordBankEventCommand('0002', { type: 'account.closed', data: { bankAccount } }, bankMetadata('0002')),
    );

    expect(
      await store.readStream(bankAccountGuardStream(tokens.tokenFor({ bankCode: '0001', ...bankAccount }))),
    ).toEqual([]);
    expect(
      (await store.readStream(bankAccountGuardStream(tokens.tokenFor({ bankCode: '0002', ...bankAccount })))).map(
        (event) => event.type,
      ),
    ).toEqual(['BankAccountClosed']);
  });
});
