import 'reflect-metadata';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { loadConfig } from '@lib/platform/config/app-config';
import { settingsOrExit } from '@lib/platform/config/settings-or-exit';
import { startHttpService } from '@lib/platform/http/start-http-service';
import { WorkerAppModule } from './app.module';

/** Starts the worker role alone, whatever ROLE says: projections, process managers, pollers, health, metrics. */
export async function bootstrap(): Promise<void> {
  const config = settingsOrExit(() => loadConfig({ ...process.env, ROLE: 'worker' }));
  const auth = settingsOrExit(() => loadAuthConfig());
  await startHttpService(WorkerAppModule.forRoot(config, auth), config);
}

if (require.main === module) void bootstrap();
