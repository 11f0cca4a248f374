import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@lib/event-store/nest/event-store.module';
import type { AppConfig } from '@lib/platform/config/app-config';
import { WorkerModule } from '../../worker/src/worker.module';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Fastify already chose the request id (see createHttpAdapter): log under the same one.
            genReqId: (request) => (request as { id?: string }).id ?? randomUUID(),
            // Requests carry tokens, signatures and personal data: log none of their headers or bodies.
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        EventStoreModule.forRoot(config),
        TerminusModule,
        ...(config.ROLE === 'api' ? [] : [WorkerModule]),
      ],
      controllers: [HealthController],
    };
  }
}
