import { randomUUID } from 'node:crypto';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { LINK_COMMAND_SIDE } from '../../link-command-side';
import { ACTOR_KEYS } from '../../ports/actor-keys.port';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import type { LinkView } from '../../link-view';
import { BANK_ACCOUNT_TOKENS } from '../../ports/bank-account-tokens.port';
import { BANK_DIRECTORY } from '../../ports/bank-directory.port';
import { CLOCK } from '../../ports/clock.port';
import { LINKING_SETTINGS } from '../../ports/linking-settings.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { TEST_ACTOR_KEYS, TEST_LINKING_SETTINGS } from '../../testing/application-fixtures';
import { RequestLinkCommand, type RequestLinkInput } from './request-link.command';
import { RequestLinkHandler } from './request-link.handler';

const T0 = '2026-11-21T10:00:00.000Z';

const metadata: EventMetadata = {
  actor: { type: 'payment_app', id: 'app-1' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: T0,
};

const inputFor = (number: string): RequestLinkInput => ({
  paymentAppId: 'app-1',
  customerReference: 'user-1',
  ekyc: { method: 'jpki', verifiedAt: '2026-11-21T09:00:00.000Z', attributes: { name: { kana: 'ヤマダ タロウ' } } },
  bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number },
  deviceId: 'device-1',
});

/** The handler on in-memory PGlite, with one fault to inject (sealing fails) and a clock the test moves. */
async function requestLinkHandler() {
  const sql = await PgliteSqlClient.open();
  const store = await PostgresEventStore.create(sql);
  const world = { vaultFails: false, now: new Date(T0) };
  const vault: PersonalDataVault = {
    subjectFor: () => 'sub_1',
    seal: async (_subject, value) => {
      if (world.vaultFails) throw new Error('key store unavailable');
      return `sealed:${JSON.stringify(value).length}`;
    },
    open: async () => undefined,
    personalDataIn: async () => 'none',
    erase: async (_subject, at) => at,
    erasedAt: async () => undefined,
    erasedAtBeforeSealing: async () => undefined,
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
      {
        provide: BANK_ACCOUNT_TOKENS,
        useValue: { tokenFor: (account: { number: string }) => `bat_${account.number}` },
      },
      { provide: CLOCK, useValue: { now: () => world.now } },
      { provide: LINKING_SETTINGS, useValue: { ...TEST_LINKING_SETTINGS, staleClaimSeconds: 30 } },
      { provide: ACTOR_KEYS, useValue: TEST_ACTOR_KEYS },
      ...LINK_COMMAND_SIDE,
      RequestLinkHandler,
    ],
  }).compile();
  await moduleRef.init();
  const commands = moduleRef.get(CommandBus);
  return {
    world,
    store: store as EventStore,
    request: (number: string): Promise<LinkView> =>
      commands.execute(new RequestLinkCommand(inputFor(number), metadata)),
    eventTypes: async (stream: string) => (await store.readStream(stream)).map((event) => event.type),
    close: () => sql.close(),
  };
}

type Handler = Awaited<ReturnType<typeof requestLinkHandler>>;

/** A request that died after it claimed the account and before it started the link (a crash). */
const claimLeftBehind = async (handler: Handler, number: string, linkId: string) => {
  await handler.store.appendToStream(
    bankAccountGuardStream(`bat_${number}`),
    [
      {
        id: randomUUID(),
        type: 'LinkAttemptRegistered',
        data: { linkId, paymentAppId: 'app-1', at: T0 },
        metadata,
      },
    ],
    'any',
  );
};

describe('requesting a link when starting the link fails half-way', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await requestLinkHandler();
  });
  afterAll(() => handler.close());

  it('closes the link id and frees the account claim, so the same app can ask again once the fault is gone', async () => {
    handler.world.vaultFails = true;
    await expect(handler.request('1234567')).rejects.toThrow('key store unavailable');
    const guard = await handler.store.readStream(bankAccountGuardStream('bat_1234567'));
    expect(guard.map((event) => event.type)).toEqual(['LinkAttemptRegistered', 'LinkAttemptFinished']);
    expect(guard[1]?.data).toMatchObject({ outcome: 'abandoned' });
    const failedLinkId = String((guard[0]?.data as { linkId?: string } | undefined)?.linkId);
    expect(await handler.eventTypes(linkStream(failedLinkId))).toEqual(['LinkRequestAbandoned']);

    handler.world.vaultFails = false;
    const link = await handler.request('1234567');
    expect(link.status).toBe('awaiting_bank_authentication');
  });
});

describe('requesting a link while a dead request still claims the account', () => {
  let handler: Handler;
  beforeEach(async () => {
    handler = await requestLinkHandler();
  });
  afterEach(() => handler.close());

  it('refuses while the claim is young: its request may still be on its way', async () => {
    await claimLeftBehind(handler, '2000001', 'lnk_dead');
    handler.world.now = new Date('2026-11-21T10:00:29.000Z');
    await expect(handler.request('2000001')).rejects.toMatchObject({
      code: 'link_already_in_progress',
      extensions: { openLinkId: 'lnk_dead' },
    });
    expect(await handler.eventTypes(linkStream('lnk_dead'))).toEqual([]);
  });

  it('frees a stale claim whose link never started, closes its id for good, and links', async () => {
    await claimLeftBehind(handler, '2000002', 'lnk_dead');
    handler.world.now = new Date('2026-11-21T10:00:31.000Z');
    const link = await handler.request('2000002');

    expect(link.status).toBe('awaiting_bank_authentication');
    expect(await handler.eventTypes(linkStream('lnk_dead'))).toEqual(['LinkRequestAbandoned']);
    expect(await handler.eventTypes(bankAccountGuardStream('bat_2000002'))).toEqual([
      'LinkAttemptRegistered',
      'LinkRequestRefused',
      'LinkAttemptFinished',
      'LinkAttemptRegistered',
    ]);
  });

  it('leaves a stale claim alone when its link did start: that is a link in progress', async () => {
    const first = await handler.request('2000003');
    handler.world.now = new Date('2026-11-21T11:00:00.000Z');
    await expect(handler.request('2000003')).rejects.toMatchObject({
      code: 'link_already_in_progress',
      extensions: { openLinkId: first.id },
    });
    expect(await handler.eventTypes(linkStream(first.id))).toEqual(['LinkRequested']);
  });
});
