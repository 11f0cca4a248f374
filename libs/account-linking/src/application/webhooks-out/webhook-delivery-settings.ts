export const WEBHOOK_DELIVERY_SETTINGS = Symbol('WEBHOOK_DELIVERY_SETTINGS');

export interface WebhookDeliverySettings {
  /** A receiver has this long to answer (API.md: 15 s). */
  timeoutMs: number;
  /** Waits before each retry (API.md: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); past the last, `failed`. */
  retryScheduleMs: readonly number[];
  /** Each wait is moved by up to this share either way, so that retries of many deliveries spread out. */
  jitter: number;
  /** An endpoint whose every delivery failed for this long is disabled (API.md: 5 days). */
  disableAfterMs: number;
  /** How long a worker holds the delivery it took; after a crash another takes it then (at least once). */
  claimTtlMs: number;
  /** Endpoints served at once by one worker; each endpoint's deliveries go one after another. */
  concurrentEndpoints: number;
  /** Deliveries one endpoint's turn takes before it gives way. */
  deliveriesPerTurn: number;
  /** Private, loopback and link-local addresses and `http:` allowed (local development and tests only). */
  allowPrivateNetworks: boolean;
}

export const DEFAULT_RETRY_SCHEDULE_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000] as const;

export const DEFAULT_WEBHOOK_DELIVERY_SETTINGS: WebhookDeliverySettings = {
  timeoutMs: 15_000,
  retryScheduleMs: DEFAULT_RETRY_SCHEDULE_SECONDS.map((seconds) => seconds * 1000),
  jitter: 0.2,
  disableAfterMs: 5 * 24 * 3_600_000,
  claimTtlMs: 60_000,
  concurrentEndpoints: 16,
  deliveriesPerTurn: 20,
  allowPrivateNetworks: false,
};

/**
 * When attempt `attempt` (1-based) failed: the time of the next one, or undefined when that was the last.
 * `random` in [0, 1) gives the jitter.
 */
export function nextAttemptAt(
  failedAt: Date,
  attempt: number,
  settings: Pick<WebhookDeliverySettings, 'retryScheduleMs' | 'jitter'>,
  random: number,
): Date | undefined {
  const wait = settings.retryScheduleMs[attempt - 1];
  if (wait === undefined) return undefined;
  const jittered = wait * (1 - settings.jitter + 2 * settings.jitter * random);
  return new Date(failedAt.getTime() + Math.round(jittered));
}
