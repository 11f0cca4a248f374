import { PollingLoop } from './polling-loop';
import { WorkSignals } from './work-signals';

describe('a polling loop', () => {
  it('goes round again at once while there is work, then waits for the interval', async () => {
    const rounds: number[] = [];
    let work = 3;
    const loop = new PollingLoop(
      async () => {
        rounds.push(Date.now());
        return work-- > 0;
      },
      { intervalMs: 10_000 },
    );
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await loop.stop();
    expect(rounds).toHaveLength(4);
  });

  it('outlives a failing round and reports it', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        return false;
      },
      { intervalMs: 5, onError: (error) => errors.push(error) },
    );
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await loop.stop();
    expect(errors).toHaveLength(1);
    expect(calls).toBeGreaterThan(1);
  });

  it('starts a round when poked instead of waiting out the interval', async () => {
    let calls = 0;
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        return false;
      },
      { intervalMs: 60_000 },
    );
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    loop.poke();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    expect(calls).toBe(2);
  });

  it('goes round again right after a round it was poked during, since the work may have come after its claim', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
        return false;
      },
      { intervalMs: 60_000 },
    );
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    loop.poke();
    release?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    expect(calls).toBe(2);
  });
});

describe('work signals', () => {
  it('wake every loop listening for the kind signalled, and none other, until they stop listening', () => {
    const signals = new WorkSignals();
    const woken: string[] = [];
    const stopA = signals.on('notifications', () => woken.push('a'));
    signals.on('notifications', () => woken.push('b'));
    signals.on('webhooks', () => woken.push('w'));
    signals.signal('notifications');
    stopA();
    signals.signal('notifications');
    signals.signal('nobody');
    expect(woken).toEqual(['a', 'b', 'b']);
  });
});
