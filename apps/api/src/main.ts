import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type AuthConfig, loadAuthConfig } from '@lib/platform/auth/auth-config';
import { type AppConfig, InvalidConfigError, loadConfig } from '@lib/platform/config/app-config';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp } from './http/configure-app';
import { createHttpAdapter } from './http/http-adapter';

/** Starts the service; the worker's entry point reuses it with its own role. */
export async function bootstrap(role?: 'worker'): Promise<void> {
  let config: AppConfig;
  let auth: AuthConfig;
  try {
    config = loadConfig(role ? { ...process.env, ROLE: role } : process.env);
    auth = loadAuthConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, auth), createHttpAdapter(), {
    ...APP_OPTIONS,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configureApp(app);
  await app.listen(config.PORT, config.HOST);
  const sandbox = config.sandboxEnabled ? 'on' : 'off';
  app
    .get(Logger)
    .log(`kouza-link listening on ${config.HOST}:${config.PORT} (store: ${config.storeMode}, sandbox: ${sandbox})`);
}

if (require.main === module) void bootstrap();
