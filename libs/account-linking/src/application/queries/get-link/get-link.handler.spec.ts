import type { EventMetadata } from '@lib/event-store/event-store.port';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { LinkSignalsReader } from '../../actor-defences/link-signals';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import type { LinkReadModel } from '../../ports/link-read-model.port';
import { GetLinkHandler } from './get-link.handler';
import { GetLinkQuery } from './get-link.query';
import {
  TEST_ACTOR_KEYS,
  TEST_LINKING_SETTINGS,
  aRequestLink,
  linkCommandRunnerFor,
} from '../../testing/application-fixtures';

const metadata: EventMetadata = {
  actor: { type: 'payment_app', id: 'app-1' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-11-21T10:00:00.000Z',
};

/** A read model whose projection is stuck before anything this test writes: the fault under test. */
const stuckReadModel: LinkReadModel = {
  settle: async () => undefined,
  find: async () => undefined,
  select: async () => ({ items: [], nextCursor: null }),
  count: async () => 0,
  countsByStatus: async () => ({}),
};

describe('reading a link while the read model is behind the caller’s own write', () => {
  let sql: PgliteSqlClient;
  let handler: GetLinkHandler;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    const store = await PostgresEventStore.create(sql);
    const writes = new WrittenCheckpoints();
    await linkCommandRunnerFor(store, TEST_LINKING_SETTINGS, writes).run(
      'lnk_behind',
      aRequestLink('lnk_behind', 'app-1'),
      metadata,
    );
    // The actors' read model knows nothing yet either.
    const signals = new LinkSignalsReader({ of: async () => new Map() }, TEST_ACTOR_KEYS, { now: () => new Date() });
    handler = new GetLinkHandler(stuckReadModel, store, writes, signals);
  });
  afterAll(() => sql.close());

  it('answers from the link’s own events, never with an older state than the caller wrote', async () => {
    const answer = await handler.execute(new GetLinkQuery('lnk_behind', 'app-1', undefined));
    expect(answer.value).toMatchObject({ id: 'lnk_behind', status: 'awaiting_bank_authentication' });
    expect(answer.value).toMatchObject({
      signals: { device: { accountsTried24h: 0, accountsTried30d: 0, everBlocked: false } },
    });
    expect(answer.checkpoint).toBeDefined();
  }, 10_000);

  it('still hides another app’s link', async () => {
    await expect(handler.execute(new GetLinkQuery('lnk_behind', 'app-2', undefined))).rejects.toMatchObject({
      code: 'link_not_found',
    });
  }, 10_000);
});
