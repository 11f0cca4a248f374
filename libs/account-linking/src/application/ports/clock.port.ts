export const CLOCK = Symbol('CLOCK');

/** The one place the application reads the time; the domain gets it through commands. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
