import { randomUUID } from 'node:crypto';
import { waitForProjectionCheckpoint } from '@lib/event-store/projections/projection-freshness';
import {
  appendGenerated,
  generatedLinkHistories,
} from '@lib/account-linking/infrastructure/read-models/testing/generated-links';
import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { eventually } from './support/eventually';
import { STORES, type ServiceUnderTest, startService } from './support/service-under-test';

const GENERATED_LINKS = 3_000;
const READ_MODELS = ['links', 'account-history'];

describe.each(STORES)('rebuilding the read models while the service runs, on %s', (store) => {
  let service: ServiceUnderTest;
  let sql: SqlClient;
  let app: string;
  let operator: string;

  beforeAll(async () => {
    service = await startService(store);
    sql = service.app.get<SqlClient>(SQL_CLIENT);
    app = await service.token();
    operator = await service.token('sandbox-operator');
    // Straight into the store, as the service would have written it, for speed.
    const generated = generatedLinkHistories(GENERATED_LINKS, {
      tag: randomUUID().slice(0, 6),
      paymentApps: ['sandbox-app', 'generated-app-b', 'generated-app-c'],
      banks: ['9900', '0001', '0005'],
    });
    const last = await appendGenerated(sql, generated);
    for (const name of READ_MODELS) {
      const reached = await waitForProjectionCheckpoint(sql, name, last, { timeoutMs: 120_000 });
      expect(reached !== undefined && last !== undefined && reached >= last).toBe(true);
    }
  }, 240_000);
  afterAll(async () => {
    await service?.close();
  });

  const get = (url: string, bearer: string) =>
    service.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
  const post = (url: string, bearer: string, payload?: object) =>
    service.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${bearer}` },
      ...(payload ? { payload } : {}),
    });

  const snapshot = async () => ({
    links: await sql.query('SELECT * FROM rm_links ORDER BY id'),
    counts: await sql.query('SELECT * FROM rm_link_counts ORDER BY bank_code, status'),
    history: await sql.query('SELECT * FROM rm_account_history ORDER BY entry_id'),
  });

  it(`rebuilds each read model from zero to exactly what live built, over ${GENERATED_LINKS} links, serving all along`, async () => {
    const live = await snapshot();
    expect(live.links.length).toBeGreaterThanOrEqual(GENERATED_LINKS);

    for (const name of READ_MODELS) {
      const started = await post(`/v1/admin/projections/${name}/rebuild`, operator);
      expect(started.statusCode).toBe(202);
      expect(started.json()).toMatchObject({ projection: name, phase: 'copying' });
      // Queries keep being answered from the live tables while the new ones are built.
      const during = await get('/v1/links?limit=5', app);
      expect(during.statusCode).toBe(200);
      expect(during.json().items).toHaveLength(5);

      const done = await eventually(async () => {
        const progress = await get(`/v1/admin/projections/${name}/rebuild`, operator);
        expect(progress.json().phase).toBe('done');
        return progress.json();
      }, 120_000);
      expect(done).toMatchObject({
        projection: name,
        eventsApplied: expect.any(Number),
        eventsPerSecond: expect.any(Number),
        checkpoint: expect.any(String),
        finishedAt: expect.any(String),
      });
      expect(done.eventsApplied).toBeGreaterThan(GENERATED_LINKS);
      expect(done.eventsPerSecond).toBeGreaterThan(0);
    }

    expect(await snapshot()).toEqual(live);
    const shadows = await sql.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE '%\\_next'`,
    );
    expect(shadows).toEqual([]);
  }, 240_000);

  it('rebuilds every read model in one pass over the log to exactly what live built', async () => {
    const tables = accountLinkingReadModels().flatMap((projection) => projection.tables);
    const everyTable = async () => {
      const rows: Record<string, unknown[]> = {};
      for (const table of tables) rows[table] = await sql.query(`SELECT * FROM ${table} t ORDER BY t::text`);
      return rows;
    };
    // Their indexes too: a rebuild builds the secondary ones after its copy, under the same names.
    const everyIndex = () =>
      sql.query(
        `SELECT tablename::text AS table, indexname::text AS name, indexdef AS definition FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) ORDER BY 1, 2`,
        [tables],
      );
    const liveIndexes = await everyIndex();
    expect(liveIndexes.length).toBeGreaterThan(tables.length);
    expect((await get('/v1/admin/projections/rebuild', operator)).json()).toMatchObject({
      status: 404,
      code: 'rebuild_not_found',
    });
    const live = await everyTable();

    const started = await post('/v1/admin/projections/rebuild', operator);
    expect(started.statusCode).toBe(202);
    const names = accountLinkingReadModels().map((projection) => projection.name);
    expect(started.json()).toMatchObject({
      projection: names.join(','),
      phase: 'copying',
      readModels: names.map((projection) => ({ projection, eventsApplied: 0 })),
    });
    const done = await eventually(async () => {
      const progress = await get('/v1/admin/projections/rebuild', operator);
      expect(progress.json().phase).toBe('done');
      return progress.json();
    }, 120_000);
    const applied = Object.fromEntries(
      done.readModels.map((model: { projection: string; eventsApplied: number }) => [
        model.projection,
        model.eventsApplied,
      ]),
    );
    expect(applied.links).toBeGreaterThan(GENERATED_LINKS);
    expect(applied['account-history']).toBeGreaterThan(GENERATED_LINKS);
    expect(done.eventsApplied).toBeGreaterThanOrEqual(applied.links);
    expect(await everyTable()).toEqual(live);
    expect(await everyIndex()).toEqual(liveIndexes);
    // Each read model's own status shows the pass.
    expect((await get('/v1/admin/projections/links/rebuild', operator)).json()).toMatchObject({
      phase: 'done',
      checkpoint: done.checkpoint,
    });
  }, 240_000);

  it('goes on projecting live after the swap', async () => {
    const created = await post('/v1/links', app, {
      customer: { reference: `after-rebuild-${randomUUID()}` },
      ekyc: {
        method: 'jpki',
        verifiedAt: '2026-11-20T10:00:00Z',
        name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
        birthDate: '1990-01-02',
      },
      bankAccount: { bankCode: '9900', branchCode: '001', type: 'ordinary', number: '3141592' },
      device: { id: 'device-after' },
    });
    expect(created.statusCode).toBe(201);
    const read = await get(`/v1/links/${created.json().id}`, app);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ ...created.json(), signals: expect.any(Object) });

    await eventually(async () => {
      const status = await get('/v1/admin/projections', operator);
      expect(status.statusCode).toBe(200);
      const byName = Object.fromEntries(
        status.json().projections.map((lag: { projection: string }) => [lag.projection, lag]),
      );
      for (const name of READ_MODELS) {
        expect(byName[name]).toMatchObject({ eventsBehind: 0, rebuildable: true, rebuild: { phase: 'done' } });
      }
    });
    // The same figures are the projection lag metrics.
    const metrics = await service.app.inject({ method: 'GET', url: '/metrics' });
    for (const name of READ_MODELS) {
      expect(metrics.body).toMatch(new RegExp(`^kouza_link_projection_lag_events\\{projection="${name}"\\} \\d+`, 'm'));
    }
  });

  it('answers 404 for a projection it cannot rebuild, and only to operators', async () => {
    expect((await post('/v1/admin/projections/nope/rebuild', operator)).json().code).toBe('projection_not_found');
    expect((await post('/v1/admin/projections/links/rebuild', app)).statusCode).toBe(403);
    expect((await post('/v1/admin/projections/rebuild', app)).statusCode).toBe(403);
    expect((await get('/v1/admin/projections', app)).statusCode).toBe(403);
  });
});
