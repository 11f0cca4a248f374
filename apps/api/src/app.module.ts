import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from '@lib/event-store/nest/health.controller';
import { EventStoreModule } from '@lib/event-store/nest/event-store.module';
import { type AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import type { AppConfig } from '@lib/platform/config/app-config';
import { requestLoggingParams } from '@lib/platform/http/request-logging';
import { MetricsModule } from '@lib/platform/metrics/metrics.module';
import { AccountLinkingCoreModule } from '@lib/account-linking/nest/account-linking-core.module';
import { ReadModelsModule } from '@lib/account-linking/nest/read-models.module';
import { WorkerModule } from '@lib/account-linking/nest/worker.module';
import { AccountLinkingModule } from './account-linking.module';
import { AuthModule } from './auth/auth.module';
import { QueriesModule } from './queries/queries.module';

/**
 * The service as `npm start` runs it: the api role (HTTP edge, auth, queries) and, with ROLE=all (the
 * default), the worker role in the same process; ROLE=api leaves the worker role to the worker app.
 */
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
        LoggerModule.forRoot(requestLoggingParams(config)),
        EventStoreModule.forRoot(config),
        AuthModule.forRoot({ auth, sandbox: config.sandboxEnabled, env }),
        TerminusModule,
        MetricsModule,
        AccountLinkingCoreModule.forRoot(config),
        ReadModelsModule,
        ...(config.ROLE === 'worker' ? [] : [QueriesModule, AccountLinkingModule.forRoot(config, env)]),
        ...(config.ROLE === 'api' ? [] : [WorkerModule.forRoot(config)]),
      ],
      controllers: [HealthController],
    };
  }
}
