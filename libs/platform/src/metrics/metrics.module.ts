import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { NotificationMetrics } from './notification-metrics';

/**
 * Prometheus metrics at `/metrics`: the process, HTTP and notifications here; the modules that bring commands
 * and projections add theirs to the same registry (AccountLinkingCoreModule, ReadModelsModule). One
 * registry per app instance (tests run several in a process); global so any module can record.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: () => new Registry() }, HttpMetrics, NotificationMetrics],
  exports: [Registry, NotificationMetrics],
})
export class MetricsModule {}
