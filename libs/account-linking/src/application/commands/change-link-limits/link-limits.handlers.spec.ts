import { randomUUID } from 'node:crypto';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EVENT_STORE, type EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { DomainError } from '../../../domain/domain-error';
import type { LinkEvent } from '../../../domain/link/link-events';
import { HISTORIES } from '../../../domain/link/testing/link-fixtures';
import { LINK_COMMAND_SIDE } from '../../link-command-side';
import { bankInboxStream, linkStream } from '../../link-streams';
import { ACTOR_KEYS } from '../../ports/actor-keys.port';
import { BANK_ACCOUNT_TOKENS } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY } from '../../ports/bank-directory.port';
import { CLOCK } from '../../ports/clock.port';
import { LINKING_SETTINGS } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT } from '../../ports/personal-data-vault.port';
import { TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS } from '../../testing/application-fixtures';
import { RecordBankEventCommand } from '../record-bank-event/record-bank-event.command';
import { RecordBankEventHandler } from '../record-bank-event/record-bank-event.handler';
import { ChangeLinkLimitsCommand } from './change-link-limits.command';
import { ChangeLinkLimitsHandler } from './change-link-limits.handler';

const NOW = '2026-11-22T09:00:00.000Z';
const APP = 'sandbox-app';
const BANK = '0001';

const metadataOf = (actor: EventMetadata['actor']): EventMetadata => ({
  actor,
  correlationId: 'c-1',
  causationId: 'c-1',
  occurredAt: NOW,
  webhookId: `msg_${randomUUID()}`,
});
const appMetadata = () => metadataOf({ type: 'payment_app', id: APP });
const bankMetadata = () => metadataOf({ type: 'bank', id: BANK });

/** Given an active link in a store, when the app or its bank changes its limits, then these events are recorded. */
describe('the limits handlers over a store (R10)', () => {
  let sql: PgliteSqlClient;
  let store: PostgresEventStore;
  let commands: CommandBus;

  /** A fresh active link of APP at BANK (the fixtures' history under a new id). */
  const activeLink = async (): Promise<string> => {
    const linkId = `lnk_${randomUUID().replaceAll('-', '')}`;
    const events = HISTORIES.active.map((event) => ({ ...event, data: { ...event.data, linkId } }) as LinkEvent);
    await store.appendToStream(
      linkStream(linkId),
      events.map((event) => ({ id: randomUUID(), ...event, metadata: bankMetadata() })),
      'no_stream',
    );
    return linkId;
  };
  const newEventsOf = async (linkId: string) =>
    (await store.readStream(linkStream(linkId))).slice(HISTORIES.active.length);

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
        { provide: BANK_ACCOUNT_TOKENS, useValue: { tokenFor: () => 'bat_unused' } },
        { provide: CLOCK, useValue: { now: () => new Date(NOW) } },
        { provide: ACTOR_KEYS, useValue: TEST_ACTOR_KEYS },
        ...LINK_COMMAND_SIDE,
        RecordBankEventHandler,
        ChangeLinkLimitsHandler,
      ],
    }).compile();
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
  });
  afterAll(() => sql.close());

  it("lowers the app's limit at once and answers the limits view, recording who asked", async () => {
    const linkId = await activeLink();
    const metadata = appMetadata();
    const view = await commands.execute(new ChangeLinkLimitsCommand(linkId, APP, { daily: 20_000 }, metadata));

    expect(view).toEqual({ perDebit: null, daily: 20_000, monthly: null });
    expect(await newEventsOf(linkId)).toMatchObject([
      {
        type: 'LinkLimitsChanged',
        data: { linkId, at: NOW, by: 'payment_app', limits: view, previous: { daily: null } },
        metadata: { actor: { type: 'payment_app', id: APP } },
      },
    ]);
  });

  it('keeps a raise pending until the bank reports limits.confirmed, then puts it in force', async () => {
    const linkId = await activeLink();
    await commands.execute(new ChangeLinkLimitsCommand(linkId, APP, { perDebit: 10_000 }, appMetadata()));
    const raised = await commands.execute(new ChangeLinkLimitsCommand(linkId, APP, { perDebit: null }, appMetadata()));
    expect(raised).toEqual({
      perDebit: 10_000,
      daily: null,
      monthly: null,
      pending: { perDebit: null, daily: null, monthly: null },
    });

    await commands.execute(
      new RecordBankEventCommand(BANK, { type: 'limits.confirmed', data: { linkId } }, bankMetadata()),
    );

    expect((await newEventsOf(linkId)).map(({ type, data }) => ({ type, data }))).toEqual([
      expect.objectContaining({ type: 'LinkLimitsChanged' }),
      expect.objectContaining({ type: 'LinkLimitRaiseRequested' }),
      {
        type: 'LinkLimitsChanged',
        data: {
          linkId,
          at: NOW,
          by: 'customer',
          limits: { perDebit: null, daily: null, monthly: null },
          previous: { perDebit: 10_000, daily: null, monthly: null },
        },
      },
    ]);
  });

  it('puts the limits the bank sets (limits.updated) in force at once, leaving out what it leaves out', async () => {
    const linkId = await activeLink();
    await commands.execute(
      new RecordBankEventCommand(
        BANK,
        { type: 'limits.updated', data: { linkId, perDebit: 50_000, monthly: 300_000 } },
        bankMetadata(),
      ),
    );
    expect(await newEventsOf(linkId)).toMatchObject([
      {
        type: 'LinkLimitsChanged',
        data: { by: 'bank', limits: { perDebit: 50_000, daily: null, monthly: 300_000 } },
        metadata: { actor: { type: 'bank', id: BANK } },
      },
    ]);
  });

  it('refuses limits.confirmed with nothing pending and records the refusal on the bank inbox, not the link', async () => {
    const linkId = await activeLink();
    const inboxBefore = await store.readStream(bankInboxStream(BANK));
    const sent = commands.execute(
      new RecordBankEventCommand(BANK, { type: 'limits.confirmed', data: { linkId } }, bankMetadata()),
    );
    await expect(sent).rejects.toBeInstanceOf(DomainError);
    await expect(sent).rejects.toMatchObject({ code: 'no_pending_limits' });
    expect(await newEventsOf(linkId)).toEqual([]);
    const inbox = await store.readStream(bankInboxStream(BANK));
    expect(inbox.slice(inboxBefore.length)).toMatchObject([
      { type: 'BankEventRefused', data: { linkId, bankEventType: 'limits.confirmed', code: 'no_pending_limits' } },
    ]);
  });

  it("refuses another app's link as link_not_found, writing nothing", async () => {
    const linkId = await activeLink();
    const sent = commands.execute(new ChangeLinkLimitsCommand(linkId, 'other-app', { daily: 1 }, appMetadata()));
    await expect(sent).rejects.toMatchObject({ code: 'link_not_found' });
    expect(await newEventsOf(linkId)).toEqual([]);
  });
});
