import type { RebuildProgress } from '@lib/event-store/projections/blue-green-rebuild';
import { AdminClient, type Fetch } from './admin-client';
import { renderProgress } from './progress-bar';
import { rebuildProjection } from './rebuild-projection.command';

const report = (progress: Partial<RebuildProgress>): RebuildProgress => ({
  projection: 'links',
  phase: 'copying',
  startedAt: '2026-11-20T10:00:00.000Z',
  eventsApplied: 0,
  eventsPerSecond: 0,
  swapAttempts: 0,
  ...progress,
});

/** A service that answers the token request, then each rebuild request with the next scripted report. */
function scriptedService(reports: RebuildProgress[]) {
  const calls: string[] = [];
  const fetch: Fetch = async (url, init) => {
    const { pathname } = new URL(url);
    calls.push(`${init?.method ?? 'GET'} ${pathname}`);
    if (pathname === '/oauth/token') return Response.json({ access_token: 'token', token_type: 'Bearer' });
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer token');
    return Response.json(reports.shift(), { status: init?.method === 'POST' ? 202 : 200 });
  };
  return { fetch, calls };
}

describe('the rebuild command of the operator CLI', () => {
  it('starts the rebuild, then draws its progress (events/s, ETA) until the read model is swapped in', async () => {
    const { fetch, calls } = scriptedService([
      report({}),
      report({ eventsApplied: 5_000, eventsPerSecond: 2_500, fraction: 0.5, etaSeconds: 2 }),
      report({ phase: 'swapping', eventsApplied: 10_000, eventsPerSecond: 2_600, fraction: 1, etaSeconds: 0 }),
      report({ phase: 'done', eventsApplied: 10_000, eventsPerSecond: 2_600, fraction: 1, etaSeconds: 0 }),
    ]);
    const client = new AdminClient({ url: 'http://service.test', clientId: 'ops', clientSecret: 's', fetch });
    const lines: string[] = [];
    const done = await rebuildProjection(client, 'links', {
      progress: (line) => lines.push(line),
      sleep: async () => undefined,
    });

    expect(done.phase).toBe('done');
    expect(calls).toEqual([
      'POST /oauth/token',
      'POST /v1/admin/projections/links/rebuild',
      'GET /v1/admin/projections/links/rebuild',
      'GET /v1/admin/projections/links/rebuild',
      'GET /v1/admin/projections/links/rebuild',
    ]);
    expect(lines[1]).toBe('links [###############---------------]  50%  5,000 events  2,500 events/s  ETA 2s  copying');
    expect(lines.at(-1)).toBe('links [##############################] 100%  10,000 events  2,600 events/s  done');
  });

  it('rebuilds every read model in one pass with `all`, through the pass over every read model', async () => {
    const readModels = ['links', 'account-history'].map((projection) => ({ projection, eventsApplied: 0 }));
    const all = (progress: Partial<RebuildProgress>) =>
      report({ projection: 'links,account-history', readModels, ...progress });
    const { fetch, calls } = scriptedService([
      all({}),
      all({ phase: 'done', eventsApplied: 8_000, eventsPerSecond: 4_000, fraction: 1, etaSeconds: 0 }),
    ]);
    const client = new AdminClient({ url: 'http://service.test', clientId: 'ops', clientSecret: 's', fetch });
    const lines: string[] = [];
    await rebuildProjection(client, 'all', { progress: (line) => lines.push(line), sleep: async () => undefined });

    expect(calls).toEqual([
      'POST /oauth/token',
      'POST /v1/admin/projections/rebuild',
      'GET /v1/admin/projections/rebuild',
    ]);
    expect(lines.at(-1)).toBe(
      'all 2 read models [##############################] 100%  8,000 events  4,000 events/s  done',
    );
  });

  it('fails when the rebuild fails, saying why', async () => {
    const { fetch } = scriptedService([report({}), report({ phase: 'failed', error: 'database went away' })]);
    const client = new AdminClient({ url: 'http://service.test', clientId: 'ops', clientSecret: 's', fetch });
    await expect(
      rebuildProjection(client, 'links', { progress: () => undefined, sleep: async () => undefined }),
    ).rejects.toThrow('database went away');
  });

  it('shows the ETA in minutes and hours when long, and no bar fraction when the store cannot tell the head', () => {
    expect(renderProgress(report({ fraction: 0.1, etaSeconds: 3_725 }))).toContain('ETA 1h02m');
    expect(renderProgress(report({ fraction: 0.1, etaSeconds: 125 }))).toContain('ETA 2m05s');
    expect(renderProgress(report({ eventsApplied: 12 }))).toBe(
      `links [${'?'.repeat(30)}]  12 events  0 events/s  copying`,
    );
  });
});
