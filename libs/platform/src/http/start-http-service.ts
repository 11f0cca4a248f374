import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_OPTIONS, configureHttp } from './configure-http';
import { createHttpAdapter } from './http-adapter';

/**
 * Starts one process of the service (api or worker) from its root module, which brings nestjs-pino's
 * LoggerModule: Fastify as the service runs it, `configure` applied, listening on HOST:PORT.
 */
export async function startHttpService(
  module: DynamicModule,
  config: AppConfig,
  configure: (app: NestFastifyApplication) => NestFastifyApplication = configureHttp,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, createHttpAdapter(), {
    ...APP_OPTIONS,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configure(app);
  await app.listen(config.PORT, config.HOST);
  const sandbox = config.sandboxEnabled ? 'on' : 'off';
  app
    .get(Logger)
    .log(`kouza-link listening on ${config.HOST}:${config.PORT} (store: ${config.storeMode}, sandbox: ${sandbox})`);
  return app;
}
