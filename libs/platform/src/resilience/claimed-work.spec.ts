import { retryAfterClaims, runClaimedWork } from './claimed-work';

describe('claimed work', () => {
  it('runs every item, hands one that throws to the failure handler, and counts what was claimed', async () => {
    const ran: number[] = [];
    const failed: [number, string][] = [];
    const claimed = [1, 2, 3].map((id) => ({ id, claims: 1 }));
    const count = await runClaimedWork(
      claimed,
      async ({ id }) => {
        if (id === 2) throw new Error('boom');
        ran.push(id);
      },
      async ({ id }, error) => {
        failed.push([id, (error as Error).message]);
      },
    );
    expect(count).toBe(3);
    expect(ran).toEqual([1, 3]);
    expect(failed).toEqual([[2, 'boom']]);
  });

  it('runs at most `concurrency` items at once, every item once, failures included', async () => {
    let running = 0;
    let most = 0;
    const ran: number[] = [];
    const failed: number[] = [];
    const claimed = Array.from({ length: 10 }, (_, id) => ({ id, claims: 1 }));
    const count = await runClaimedWork(
      claimed,
      async ({ id }) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (id % 4 === 0) throw new Error('boom');
        ran.push(id);
      },
      async ({ id }) => {
        failed.push(id);
      },
      3,
    );
    expect(count).toBe(10);
    expect(most).toBe(3);
    expect([...ran, ...failed].sort((a, b) => a - b)).toEqual(claimed.map(({ id }) => id));
    expect(failed.sort((a, b) => a - b)).toEqual([0, 4, 8]);
  });

  it('retries within a second after the first claim, later after more, never later than a minute', () => {
    const now = new Date('2026-12-02T00:00:00.000Z');
    const delays = [1, 2, 3, 10].map((claims) => retryAfterClaims(now, claims).getTime() - now.getTime());
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(60_000);
    expect(delays[0]).toBeLessThanOrEqual(2_000);
    expect(delays[3]).toBeGreaterThan(delays[0] ?? 0);
  });
});
