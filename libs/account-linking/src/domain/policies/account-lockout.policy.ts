import { addMinutes, epochMilliseconds, type Instant, latest } from '../time';

export interface AccountLockoutSettings {
  /** Failures within the window that lock the account. */
  threshold: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_ACCOUNT_LOCKOUT: AccountLockoutSettings = {
  threshold: 5,
  windowMinutes: 24 * 60,
  lockMinutes: 24 * 60,
};

export type AccountLockoutAssessment = { locked: false } | { locked: true; until: Instant };

/** R8 per account: `threshold` failures within the window lock linking until `lockMinutes` after the latest. */
export const assessAccountLockout = (
  failures: readonly Instant[],
  now: Instant,
  settings: AccountLockoutSettings = DEFAULT_ACCOUNT_LOCKOUT,
): AccountLockoutAssessment => {
  const windowStart = epochMilliseconds(addMinutes(now, -settings.windowMinutes));
  const recent = failures.filter((at) => epochMilliseconds(at) > windowStart);
  const lastFailure = latest(recent);
  if (recent.length < settings.threshold || lastFailure === undefined) return { locked: false };
  const until = addMinutes(lastFailure, settings.lockMinutes);
  return epochMilliseconds(until) > epochMilliseconds(now) ? { locked: true, until } : { locked: false };
};
