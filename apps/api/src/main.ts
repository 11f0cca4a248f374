import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { InvalidConfigError, loadConfig } from '@lib/platform/config/app-config';
import { AppModule } from './app.module';
import { createHttpAdapter } from './http/http-adapter';

/** Starts the service; the worker's entry point reuses it with its own role. */
export async function bootstrap(role?: 'worker'): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(role ? { ...process.env, ROLE: role } : process.env);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  app
    .get(Logger)
    .log(
      `kouza-link listening on ${config.HOST}:${config.PORT} (store: ${config.storeMode}, sandbox: ${config.sandboxEnabled ? 'on' : 'off'})`,
    );
}

if (require.main === module) void bootstrap();
