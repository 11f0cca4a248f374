import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics';

/**
 * Prometheus scrape endpoint, unauthenticated as scrapers expect: every label is a route pattern, a class
 * name, a problem code or a channel name, never an id or personal data. Keep it off the public ingress.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Registry) private readonly registry: Registry) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('content-type', this.registry.contentType);
    const [ofProcess, ofApp] = await Promise.all([processMetricsRegistry().metrics(), this.registry.metrics()]);
    return `${ofProcess}\n${ofApp}`;
  }
}
