import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { EventStoreModule } from '@lib/event-store/nest/event-store.module';
import { type AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import type { AppConfig } from '@lib/platform/config/app-config';
import { WorkerModule } from '../../worker/src/worker.module';
import { AccountLinkingModule } from './account-linking.module';
import { AccountLinkingCoreModule } from './account-linking-core.module';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { requestLoggingParams } from './http/request-logging';
import { MetricsModule } from './metrics/metrics.module';
import { QueriesModule } from './queries/queries.module';

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
        QueriesModule.forRoot(config),
        ...(config.ROLE === 'worker' ? [] : [AccountLinkingModule.forRoot(config, env)]),
        ...(config.ROLE === 'api' ? [] : [WorkerModule.forRoot(config)]),
      ],
      controllers: [HealthController],
    };
  }
}
