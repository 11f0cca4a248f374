/**
 * In-process wake-ups for durable work: whoever commits work to a queue (a process manager's batch writing
 * outbox rows) signals its kind, and the loops that poll that queue run at once instead of at their next poll.
 * A signal is only a hint: the rows are the truth and every loop still polls, so a lost signal (another
 * process, a crash) costs at most one poll interval, never the work.
 */
export class WorkSignals {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Calls `wake` whenever `kind` is signalled; returns the call that stops it. */
  on(kind: string, wake: () => void): () => void {
    const set = this.listeners.get(kind) ?? new Set();
    this.listeners.set(kind, set);
    set.add(wake);
    return () => set.delete(wake);
  }

  signal(kind: string): void {
    for (const wake of this.listeners.get(kind) ?? []) wake();
  }
}

export const WORK_SIGNALS = Symbol('WORK_SIGNALS');
