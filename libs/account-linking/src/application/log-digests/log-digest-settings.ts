export const LOG_DIGEST_SETTINGS = Symbol('LOG_DIGEST_SETTINGS');

/** When the worker records the next digest of the log: whichever comes first (with at least one new event). */
export interface LogDigestSettings {
  /** `LOG_DIGEST_EVERY_EVENTS`: covered events since the last digest. */
  everyEvents: number;
  /** `LOG_DIGEST_INTERVAL_SECONDS`, in ms: time since the last digest (before the first, since the first event). */
  intervalMs: number;
}
