import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from '@lib/event-store/nest/health.controller';
import { EventStoreModule } from '@lib/event-store/nest/event-store.module';
import { ClientRegistryModule } from '@lib/platform/auth/client-registry.module';
import { type AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import type { AppConfig } from '@lib/platform/config/app-config';
import { requestLoggingParams } from '@lib/platform/http/request-logging';
import { MetricsModule } from '@lib/platform/metrics/metrics.module';
import { AccountLinkingCoreModule } from '@lib/account-linking/nest/account-linking-core.module';
import { ReadModelsModule } from '@lib/account-linking/nest/read-models.module';
import { WorkerModule } from '@lib/account-linking/nest/worker.module';
import { WorkerEvidenceSignerModule } from './evidence-signer.module';

/**
 * The worker role alone (ROLE=worker, beside api replicas): projections, process managers and the pollers
 * of due work, serving only health and metrics. The client registry is read for app names in notifications; the
 * configured signing key (if any) signs the log digests.
 */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig, auth: AuthConfig = loadAuthConfig()): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        LoggerModule.forRoot(requestLoggingParams(config)),
        EventStoreModule.forRoot(config),
        WorkerEvidenceSignerModule.forRoot(auth),
        ClientRegistryModule,
        TerminusModule,
        MetricsModule,
        AccountLinkingCoreModule.forRoot(config),
        ReadModelsModule,
        WorkerModule.forRoot(config),
      ],
      controllers: [HealthController],
    };
  }
}
