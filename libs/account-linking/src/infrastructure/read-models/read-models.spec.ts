import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { BlueGreenRebuild } from '@lib/event-store/projections/blue-green-rebuild';
import { ProjectionRunner } from '@lib/event-store/projections/projection-runner';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { linkStream } from '../../application/link-streams';
import { InvalidCursorError } from '../../application/ports/link-read-model.port';
import { linkDecider } from '../../domain/link/link.decider';
import { AccountHistoryProjection } from './account-history.projection';
import { LinksProjection } from './links.projection';
import { SqlAccountHistory } from './sql-account-history';
import { SqlLinkReadModel } from './sql-link-read-model';
import { appendGenerated, type GeneratedAppend, generatedLinkHistories } from './testing/generated-links';

const LINKS = 1_000;

describe.each(SQL_BACKENDS)('the account-linking read models on $name', (backend) => {
  let sql: SqlClient;
  let store: PostgresEventStore;
  let dispose: () => Promise<void>;
  let runners: ProjectionRunner[];
  let generated: GeneratedAppend[];
  const links = new SqlLinkReadModel({ query: (text, params) => sql.query(text, params) });
  const history = new SqlAccountHistory({ query: (text, params) => sql.query(text, params) });

  const snapshot = async () => ({
    links: await sql.query('SELECT * FROM rm_links ORDER BY id'),
    counts: await sql.query('SELECT * FROM rm_link_counts ORDER BY bank_code, status'),
    history: await sql.query('SELECT * FROM rm_account_history ORDER BY entry_id'),
  });

  beforeAll(async () => {
    const opened = await backend.open();
    sql = opened.sql;
    dispose = opened.dispose;
    store = await PostgresEventStore.create(sql, { pollIntervalMs: 20 });
    runners = [new LinksProjection(), new AccountHistoryProjection()].map(
      // Small batches: live applies in many transactions, a rebuild in few; both must agree.
      (projection) => new ProjectionRunner(store, sql, projection, { batchSize: 37 }),
    );
    for (const runner of runners) runner.start();
    generated = generatedLinkHistories(LINKS, { tag: 'rm' });
    const last = await appendGenerated(sql, generated);
    await Promise.all(runners.map((runner) => runner.waitFor(last ?? '')));
  }, 120_000);
  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await dispose();
  });

  it('keeps one row per link, in the state a replay of its stream gives', async () => {
    const linkIds = [...new Set(generated.filter((g) => g.stream.startsWith('link-')).map((g) => g.stream.slice(5)))];
    expect(linkIds).toHaveLength(LINKS);
    for (const linkId of linkIds.filter((_, index) => index % 7 === 0)) {
      const { state } = await aggregateStream(store, linkStream(linkId), linkDecider);
      expect(await links.find(linkId)).toEqual(state);
    }
    const [row] = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM rm_links');
    expect(row?.count).toBe(LINKS);
  });

  it('counts links per bank and status as the link rows say', async () => {
    const counted = await sql.query('SELECT bank_code, status, links::int AS links FROM rm_link_counts ORDER BY 1, 2');
    const grouped = await sql.query(
      'SELECT bank_code, status, count(*)::int AS links FROM rm_links GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(counted).toEqual(grouped);
    expect(await links.countsByStatus('0001')).toMatchObject({
      active: expect.any(Number),
      revoked: expect.any(Number),
    });
  });

  it('pages through a selection newest first by keyset, without gaps or repeats', async () => {
    const all = await sql.query<{ id: string }>(
      `SELECT id FROM rm_links WHERE payment_app_id = 'gen-app-b' ORDER BY created_at DESC, id DESC`,
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await links.select({ paymentAppId: 'gen-app-b' }, { limit: 17, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((state) => state.link.linkId));
      expect(page.items.every((state) => state.link.paymentAppId === 'gen-app-b')).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((row) => row.id));

    const revoked = await links.select({ paymentAppId: 'gen-app-b', status: 'revoked' }, { limit: 100 });
    expect(revoked.items.length).toBeGreaterThan(0);
    expect(revoked.items.every((state) => state.status === 'revoked')).toBe(true);
    await expect(links.select({}, { limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('keeps every attempt on an account: links with their outcome, refusals before any link, lockouts', async () => {
    const refused = generated.flatMap((append) =>
      append.events
        .filter((event) => event.type === 'LinkRequestRefused')
        .map((event) => ({ token: append.stream.replace('bank-account-', ''), data: event.data })),
    );
    expect(refused.length).toBeGreaterThan(0);
    const { token, data } = refused[0] as (typeof refused)[number];
    const entries = await history.entriesFor(token);
    const linkIds = generated.flatMap((append) => {
      const [first] = append.events;
      return first?.type === 'LinkRequested' && first.data.bankAccount.accountToken === token
        ? [first.data.linkId]
        : [];
    });
    const startedLinks = entries.flatMap((entry) =>
      entry.kind === 'link_attempt' && entry.link ? [entry.linkId] : [],
    );
    expect(startedLinks.sort()).toEqual(linkIds.sort());
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'link_attempt',
        linkId: (data as { linkId: string }).linkId,
        refusal: expect.objectContaining({ reason: 'link_already_in_progress' }),
      }),
    );
    const locks = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM rm_account_history WHERE kind = 'account_locked'`,
    );
    expect(locks[0]?.count).toBe(Math.floor(LINKS / 97));
  });

  it('rebuilds both read models blue/green to exactly what live built', async () => {
    const live = await snapshot();
    for (const projection of [new LinksProjection(), new AccountHistoryProjection()]) {
      await new BlueGreenRebuild(store, sql, projection, { batchSize: 500 }).run();
    }
    expect(await snapshot()).toEqual(live);
  });
});
