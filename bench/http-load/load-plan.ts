import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AttackOutcome, AttackPool } from './attack-requests';

export interface LoadPlan {
  scenario: 'hello' | 'lifecycle' | 'debits';
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
  /** lifecycle only: attacker clients alongside the legitimate ones (see attack-requests.ts). */
  attack?: AttackPlan;
  /** debits only: the active links, client i authorising on link i (one spending stream per client). */
  debits?: DebitPlan;
}

export interface DebitPlan {
  links: { linkId: string; deviceId: string }[];
  /** Yen per debit: small, so that no limit in force is ever reached. */
  amount: number;
}

export interface AttackPlan {
  clients: number;
  pool: AttackPool;
  /** The attackers start this long before the legitimate clients (whose window is measured) and stop with them. */
  leadMs: number;
  /** Numbers the attack's accounts; go on from the last attack's `nextAttempt`. */
  firstAttempt: number;
}

/** What the attacker clients did, from their start to their stop, wall-clock ms. */
export interface AttackLoadOutcome {
  startedAt: number;
  endedAt: number;
  /** `POST /v1/links` answers by outcome. */
  outcomes: Record<AttackOutcome, number>;
  /** The "other" answers by label (`422 account_locked`, `network`, …). */
  otherAnswers: Record<string, number>;
  firstOther?: string;
  /** Latencies of the attackers' `POST /v1/links`, whatever the answer. */
  latenciesMs: number[];
  /** The signed `authentication.failed` webhooks sent for accepted attempts. */
  failureWebhooks: RequestFigures;
  /** Devices the attackers moved on to after a refusal (they start on one each). */
  devicesTaken: number;
  nextAttempt: number;
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
  attack?: AttackLoadOutcome;
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
