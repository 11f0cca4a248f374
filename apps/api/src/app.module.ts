import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@lib/event-store/nest/event-store.module';
import { type AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import type { AppConfig } from '@lib/platform/config/app-config';
import { WorkerModule } from '../../worker/src/worker.module';
import { AccountLinkingModule } from './account-linking.module';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    auth: AuthConfig = loadAuthConfig(),
    env: Record<string, string | undefined> = process.env,
  ): DynamicModule {
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
        AuthModule.forRoot({ auth, sandbox: config.sandboxEnabled, env }),
        TerminusModule,
        ...(config.ROLE === 'worker' ? [] : [AccountLinkingModule.forRoot(config, env)]),
        ...(config.ROLE === 'api' ? [] : [WorkerModule]),
      ],
      controllers: [HealthController],
    };
  }
}
