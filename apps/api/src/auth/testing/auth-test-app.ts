import { type DynamicModule, Global, type LoggerService, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ProblemFilter } from '@lib/platform/problem/problem.filter';
import { validationPipe } from '@lib/platform/problem/validation-pipe';
import { createHttpAdapter } from '@lib/platform/http/http-adapter';
import { SQL_CLIENT, type SqlClient } from '@lib/platform/sql/sql-client';
import { AuthModule, type AuthModuleOptions } from '../auth.module';
import { ProtectedTestController } from './protected-test.controller';

@Global()
@Module({})
class TestSqlModule {
  static of(sql: SqlClient): DynamicModule {
    return { module: TestSqlModule, providers: [{ provide: SQL_CLIENT, useValue: sql }], exports: [SQL_CLIENT] };
  }
}

/** Every line any part of the app logged, to check that no secret is among them. */
export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => this.record(parts);
  error = (...parts: unknown[]) => this.record(parts);
  warn = (...parts: unknown[]) => this.record(parts);
  debug = (...parts: unknown[]) => this.record(parts);
  verbose = (...parts: unknown[]) => this.record(parts);
  private record(parts: unknown[]): void {
    this.lines.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  }
}

/** The auth module on the service's Fastify adapter and error rendering, with guarded test routes. */
export async function startAuthTestApp(
  sql: SqlClient,
  options: AuthModuleOptions,
  logger = new RecordingLogger(),
): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [TestSqlModule.of(sql), AuthModule.forRoot(options)],
    controllers: [ProtectedTestController],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
