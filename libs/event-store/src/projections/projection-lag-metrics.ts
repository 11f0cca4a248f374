import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Gauge, Registry } from 'prom-client';
import {
  PROJECTION_LAG_SOURCE,
  type ProjectionLagFigures,
  type ProjectionLagSource,
} from '@lib/event-store/projections/projection-lag-source';

/**
 * How far each projection is behind the event log, read at each scrape from the `PROJECTION_LAG_SOURCE`
 * a module registers; without one the gauges stay empty.
 */
@Injectable()
export class ProjectionLagMetrics implements OnApplicationBootstrap {
  private readonly logger = new Logger('Metrics');
  private source: ProjectionLagSource | undefined;
  private measuring: Promise<readonly ProjectionLagFigures[]> | undefined;

  constructor(
    @Inject(Registry) registry: Registry,
    private readonly moduleRef: ModuleRef,
  ) {
    const metrics = this;
    new Gauge({
      name: 'kouza_link_projection_lag_events',
      help: 'Events in the log after the projection checkpoint (counted up to a cap)',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        metrics.fill(this, await metrics.measure(), (lag) => lag.eventsBehind);
      },
    });
    new Gauge({
      name: 'kouza_link_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet; 0 when caught up',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        metrics.fill(this, await metrics.measure(), (lag) => lag.oldestPendingSeconds);
      },
    });
  }

  onApplicationBootstrap(): void {
    try {
      this.source = this.moduleRef.get<ProjectionLagSource>(PROJECTION_LAG_SOURCE, { strict: false });
    } catch {
      this.source = undefined;
    }
  }

  /** Both gauges are collected at once by a scrape: they share one measurement. */
  private measure(): Promise<readonly ProjectionLagFigures[]> {
    const source = this.source;
    if (!source) return Promise.resolve([]);
    this.measuring ??= source
      .projectionLag()
      .catch((error: unknown) => {
        this.logger.warn(`Projection lag unavailable: ${error instanceof Error ? error.name : 'error'}`);
        return [];
      })
      .finally(() => {
        this.measuring = undefined;
      });
    return this.measuring;
  }

  private fill(
    gauge: Gauge<'projection'>,
    lags: readonly ProjectionLagFigures[],
    value: (lag: ProjectionLagFigures) => number,
  ): void {
    gauge.reset();
    for (const lag of lags) gauge.set({ projection: lag.projection }, value(lag));
  }
}
