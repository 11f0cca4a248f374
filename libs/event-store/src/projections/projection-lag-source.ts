import type { ProjectionLag } from './projection-lag';

/**
 * Where `/metrics` reads how far each projection is behind the log. Optional: register a provider under
 * this token in any module of the app (e.g. one calling `measureProjectionLag`) and the lag gauges appear.
 */
export const PROJECTION_LAG_SOURCE = Symbol('PROJECTION_LAG_SOURCE');

/** One figure per projection; only these fields are exported as metrics. */
export type ProjectionLagFigures = Pick<ProjectionLag, 'projection' | 'eventsBehind' | 'oldestPendingSeconds'>;

export interface ProjectionLagSource {
  /** Measured at each scrape: keep it cheap (a bounded read per projection). */
  projectionLag(): Promise<readonly ProjectionLagFigures[]>;
}
