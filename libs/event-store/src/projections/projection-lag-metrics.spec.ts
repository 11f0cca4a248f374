import { Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import {
  PROJECTION_LAG_SOURCE,
  type ProjectionLagFigures,
  type ProjectionLagSource,
} from '@lib/event-store/projections/projection-lag-source';
import { MetricsModule } from '@lib/platform/metrics/metrics.module';
import { ProjectionLagMetrics } from './projection-lag-metrics';

class FixedLag implements ProjectionLagSource {
  calls = 0;
  constructor(public figures: ProjectionLagFigures[]) {}
  async projectionLag(): Promise<readonly ProjectionLagFigures[]> {
    this.calls += 1;
    return this.figures;
  }
}

async function metricsWith(source?: ProjectionLagSource) {
  // The source lives in a module of its own, as a worker module would register it.
  @Module({ providers: source ? [{ provide: PROJECTION_LAG_SOURCE, useValue: source }] : [] })
  class ProjectionsModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [MetricsModule, ProjectionsModule],
    providers: [ProjectionLagMetrics],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(Registry);
}

describe('projection lag gauges', () => {
  it('export each projection the registered source reports, read once per scrape', async () => {
    const source = new FixedLag([
      { projection: 'link_summaries', eventsBehind: 3, oldestPendingSeconds: 1.5 },
      { projection: 'account_history', eventsBehind: 0, oldestPendingSeconds: 0 },
    ]);
    const text = await (await metricsWith(source)).metrics();
    expect(text).toContain('kouza_link_projection_lag_events{projection="link_summaries"} 3');
    expect(text).toContain('kouza_link_projection_lag_seconds{projection="link_summaries"} 1.5');
    expect(text).toContain('kouza_link_projection_lag_events{projection="account_history"} 0');
    expect(source.calls).toBe(1);
  });

  it('drop a projection the source no longer reports', async () => {
    const source = new FixedLag([{ projection: 'old', eventsBehind: 1, oldestPendingSeconds: 2 }]);
    const registry = await metricsWith(source);
    await registry.metrics();
    source.figures = [];
    expect(await registry.metrics()).not.toContain('projection="old"');
  });

  it('stay empty without a source, and when the source fails (which is logged, without its message)', async () => {
    expect(await (await metricsWith()).metrics()).not.toMatch(/^kouza_link_projection_lag_events\{/m);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const failing: ProjectionLagSource = { projectionLag: () => Promise.reject(new Error('row 山田 太郎')) };
      expect(await (await metricsWith(failing)).metrics()).not.toMatch(/^kouza_link_projection_lag_events\{/m);
      expect(warn).toHaveBeenCalledWith('Projection lag unavailable: Error');
    } finally {
      warn.mockRestore();
    }
  });
});
