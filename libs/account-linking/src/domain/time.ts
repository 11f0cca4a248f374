/** An instant as ISO 8601 UTC text (`Date.prototype.toISOString`): events stay plain JSON. */
export type Instant = string;

const MILLISECONDS_PER_MINUTE = 60_000;
export const MINUTES_PER_DAY = 24 * 60;

export const epochMilliseconds = (at: Instant): number => {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 instant: ${at}`);
  return ms;
};

export const addMinutes = (at: Instant, minutes: number): Instant =>
  new Date(epochMilliseconds(at) + minutes * MILLISECONDS_PER_MINUTE).toISOString();

export const isBefore = (a: Instant, b: Instant): boolean => epochMilliseconds(a) < epochMilliseconds(b);

export const latest = (instants: readonly Instant[]): Instant | undefined =>
  instants.reduce<Instant | undefined>((max, at) => (max === undefined || isBefore(max, at) ? at : max), undefined);

/** Any ISO 8601 timestamp with a zone, as the one `Instant` spelling (UTC, milliseconds). */
export const instantOf = (timestamp: string): Instant => new Date(epochMilliseconds(timestamp)).toISOString();
