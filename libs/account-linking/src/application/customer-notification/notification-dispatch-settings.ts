export const NOTIFICATION_DISPATCH_SETTINGS = Symbol('NOTIFICATION_DISPATCH_SETTINGS');

export interface NotificationDispatchSettings {
  /** Attempts in all; the last failure rejects the link for manual review (default 5). */
  maxAttempts: number;
  /** Backoff before attempt 2; doubles per attempt, with jitter, up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long a worker holds a message it claimed; after a crash another worker takes it over then. */
  claimTtlMs: number;
  /** Messages claimed per poll. */
  batchSize: number;
  /**
   * Messages of one claim handled at once: each is a different link's (a link has one attempt due at a time), so
   * they never contend; the channel's own limits bound what it accepts.
   */
  concurrency: number;
  /** An attempt that keeps failing unexpectedly (not a channel refusal) counts as failed after this many claims. */
  maxClaims: number;
}

export const DEFAULT_NOTIFICATION_DISPATCH_SETTINGS: NotificationDispatchSettings = {
  maxAttempts: 5,
  retryInitialMs: 30_000,
  retryMaxMs: 30 * 60_000,
  claimTtlMs: 60_000,
  batchSize: 20,
  concurrency: 8,
  maxClaims: 10,
};
