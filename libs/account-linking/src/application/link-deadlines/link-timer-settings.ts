export const LINK_TIMER_SETTINGS = Symbol('LINK_TIMER_SETTINGS');

export interface LinkTimerSettings {
  /** How long a worker holds a timer it claimed; after a crash another worker fires it then. */
  claimTtlMs: number;
  /** Timers claimed per poll. */
  batchSize: number;
  /** `LINK_DORMANCY_DAYS`: an active link unused this long expires. */
  dormancyDays: number;
}

export const DEFAULT_LINK_TIMER_SETTINGS: LinkTimerSettings = { claimTtlMs: 60_000, batchSize: 50, dormancyDays: 395 };
