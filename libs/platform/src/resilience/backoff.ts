export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Exponential backoff with equal jitter (half fixed, half random): attempt 1 waits up to `initialMs`, doubling up to `maxMs`. */
export function backoffDelay(attempt: number, { initialMs = 100, maxMs = 10_000 }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
