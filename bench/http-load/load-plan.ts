import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface LoadPlan {
  scenario: 'hello' | 'lifecycle';
  /** `http://127.0.0.1:<port>` */
  origin: string;
  clients: number;
  durationMs: number;
  /** Each client stops after this many steps, even with time left. */
  maxIterations?: number;
  /** Numbers the accounts (and customer references) of the requests; go on from the last run's `nextSequence`. */
  firstSequence: number;
  /** lifecycle: the payment app's bearer token and Sandbox Bank's `whsec_…` webhook secret. */
  token?: string;
  bankSecret?: string;
}

export interface RequestFigures {
  latenciesMs: number[];
  /** Answers by HTTP status, and `network` for requests that got none. */
  statuses: Record<string, number>;
  firstError?: string;
}

/** One link the load drove through its HTTP part (request, then the bank's webhook), wall-clock ms. */
export interface LinkTiming {
  linkId: string;
  requestedAt: number;
  authenticatedAt: number;
}

export interface LoadOutcome {
  startedAt: number;
  endedAt: number;
  requests: Record<string, RequestFigures>;
  links: LinkTiming[];
  nextSequence: number;
}

/** Runs a load plan in a worker thread and resolves with what it measured. */
export function runLoad(plan: LoadPlan): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'load-worker.js'), { workerData: plan });
    worker.once('message', (message: { outcome?: LoadOutcome; error?: string }) => {
      if (message.outcome) resolve(message.outcome);
      else reject(new Error(`load worker failed: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
