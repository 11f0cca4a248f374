import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CommandMetrics } from './command-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { NotificationMetrics } from './notification-metrics';
import { ProjectionLagMetrics } from './projection-lag-metrics';

/**
 * Prometheus metrics at `/metrics`: the process, HTTP, commands, notifications and projection lag. One
 * registry per app instance (tests run several in a process); global so any module can record.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: Registry, useFactory: () => new Registry() },
    HttpMetrics,
    CommandMetrics,
    NotificationMetrics,
    ProjectionLagMetrics,
  ],
  exports: [Registry, NotificationMetrics],
})
export class MetricsModule {}
