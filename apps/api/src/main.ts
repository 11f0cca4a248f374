import 'reflect-metadata';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { loadConfig } from '@lib/platform/config/app-config';
import { settingsOrExit } from '@lib/platform/config/settings-or-exit';
import { startHttpService } from '@lib/platform/http/start-http-service';
import { AppModule } from './app.module';
import { configureApp } from './http/configure-app';

/** Starts the service in the role ROLE names: api and worker in one process unless told otherwise. */
export async function bootstrap(): Promise<void> {
  const { config, auth } = settingsOrExit(() => ({ config: loadConfig(process.env), auth: loadAuthConfig() }));
  await startHttpService(AppModule.forRoot(config, auth), config, configureApp);
}

if (require.main === module) void bootstrap();
