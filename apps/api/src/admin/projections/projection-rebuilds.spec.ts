import { accountLinkingReadModels } from '@lib/account-linking/infrastructure/read-models/read-model-projections';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import type { SqlClient } from '@lib/platform/sql/sql-client';
import { ProjectionRebuilds } from './projection-rebuilds';

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.code;
    throw error;
  }
  return undefined;
};

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The bookkeeping is the process's own; the server backend alone keeps this spec quick (the rebuilds
// themselves run on both backends in blue-green-rebuild.spec.ts and test/read-model-rebuild.e2e.spec.ts).
const server = SQL_BACKENDS.find((backend) => backend.name === 'postgres');

describe('the rebuilds an operator starts in one process', () => {
  let sql: SqlClient;
  let dispose: () => Promise<void>;
  let rebuilds: ProjectionRebuilds;

  beforeAll(async () => {
    if (!server) throw new Error('no server backend');
    ({ sql, dispose } = await server.open());
    rebuilds = new ProjectionRebuilds(await PostgresEventStore.create(sql), sql);
  });
  afterAll(async () => {
    await rebuilds.beforeApplicationShutdown();
    await dispose();
  });

  const done = (progress: () => { phase: string } | undefined) =>
    until(() => progress()?.phase === 'done' || progress()?.phase === 'failed');

  it('refuses one read model while every one is rebuilding, and every one while one is', async () => {
    const names = accountLinkingReadModels().map((projection) => projection.name);
    expect(rebuilds.progressOfAll()).toBeUndefined();

    const pass = rebuilds.startAll();
    expect(pass).toMatchObject({ projection: names.join(','), phase: 'copying' });
    expect(pass.readModels?.map((model) => model.projection)).toEqual(names);
    expect(codeOf(() => rebuilds.start('links'))).toBe('rebuild_in_progress');
    expect(codeOf(() => rebuilds.start('cases'))).toBe('rebuild_in_progress');
    expect(codeOf(() => rebuilds.startAll())).toBe('rebuild_in_progress');
    await done(() => rebuilds.progressOfAll());
    expect(rebuilds.progressOfAll()?.phase).toBe('done');
    // Each read model's own status is the pass that rebuilt it.
    expect(rebuilds.progressOf('links')).toEqual(rebuilds.progressOfAll());

    const one = rebuilds.start('links');
    expect(one).toMatchObject({ projection: 'links', phase: 'copying' });
    expect(one.readModels).toBeUndefined();
    expect(codeOf(() => rebuilds.startAll())).toBe('rebuild_in_progress');
    expect(codeOf(() => rebuilds.start('account-history'))).toBeUndefined();
    await done(() => rebuilds.progressOf('links'));
    await done(() => rebuilds.progressOf('account-history'));
    expect(rebuilds.progressOf('links')?.phase).toBe('done');
    expect(rebuilds.progressOf('account-history')?.phase).toBe('done');
    // The last pass over all is still the one reported for all.
    expect(rebuilds.progressOfAll()?.projection).toBe(names.join(','));

    expect(codeOf(() => rebuilds.startAll())).toBeUndefined();
    await done(() => rebuilds.progressOfAll());
    expect(rebuilds.progressOfAll()?.phase).toBe('done');
  });

  it('answers 404 for a read model it does not know', () => {
    expect(codeOf(() => rebuilds.start('process-manager:link-deadlines'))).toBe('projection_not_found');
    expect(codeOf(() => rebuilds.progressOf('nope'))).toBe('projection_not_found');
  });
});
