import { CqrsModule, CommandBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { EVENT_STORE, type EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { DomainError } from '../../../domain/domain-error';
import { LINK_COMMAND_SIDE } from '../../link-command-side';
import { ACTOR_KEYS } from '../../ports/actor-keys.port';
import { linkStream } from '../../link-streams';
import { BANK_DIRECTORY } from '../../ports/bank-directory.port';
import { LINKING_SETTINGS } from '../../ports/linking-settings.port';
import { DriveLinkCommand } from './drive-link.command';
import { DriveLinkHandler } from './drive-link.handler';
import { CLOCK } from '../../ports/clock.port';
import {
  TEST_ACTOR_KEYS,
  NO_BANKS,
  TEST_LINKING_SETTINGS,
  aRequestLink,
  linkCommandRunnerFor,
} from '../../testing/application-fixtures';

const metadata: EventMetadata = {
  actor: { type: 'system', id: 'expiry-timer' },
  correlationId: 'c-1',
  causationId: 'c-1',
  occurredAt: '2026-11-21T10:31:00.000Z',
};

describe('driving a link with a process command', () => {
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
        {
          provide: LINKING_SETTINGS,
          useValue: TEST_LINKING_SETTINGS,
        },
        { provide: ACTOR_KEYS, useValue: TEST_ACTOR_KEYS },
        { provide: BANK_DIRECTORY, useValue: NO_BANKS },
        { provide: CLOCK, useValue: { now: () => new Date() } },
        ...LINK_COMMAND_SIDE,
        DriveLinkHandler,
      ],
    }).compile();
    await moduleRef.init();
    commands = moduleRef.get(CommandBus);
  });
  afterAll(() => sql.close());

  it('expires a link whose request outlived its time to live, with the timer as the actor', async () => {
    const runner = linkCommandRunnerFor(store);
    await runner.run('lnk_drive1', aRequestLink('lnk_drive1', 'app'), {
      ...metadata,
      actor: { type: 'payment_app', id: 'app' },
    });

    const view = await commands.execute(
      new DriveLinkCommand('lnk_drive1', { type: 'Expire', data: { now: '2026-11-21T10:31:00.000Z' } }, metadata),
    );

    expect(view.status).toBe('expired');
    const events = await store.readStream(linkStream('lnk_drive1'));
    expect(events.at(-1)).toMatchObject({
      type: 'LinkExpired',
      metadata: { actor: { type: 'system', id: 'expiry-timer' } },
    });
  });

  it('refuses a command the state does not allow, writing nothing', async () => {
    const before = (await store.readStream(linkStream('lnk_drive1'))).length;
    await expect(
      commands.execute(
        new DriveLinkCommand('lnk_drive1', { type: 'Activate', data: { now: '2026-11-21T10:40:00.000Z' } }, metadata),
      ),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await store.readStream(linkStream('lnk_drive1'))).toHaveLength(before);
  });
});
