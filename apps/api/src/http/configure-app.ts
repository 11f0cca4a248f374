import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp } from '@lib/platform/http/configure-http';
import { serveConsole } from '../console/serve-console';
import { serveOpenApi } from '../openapi/openapi-document';

export interface AppOptions {
  /** The built investigator console to serve under /console; by default the one `npm run build` made. */
  consoleDir?: string;
}

/** What every instance of the api gets, in production and in tests alike: HTTP setup, OpenAPI and the console. */
export function configureApp(app: NestFastifyApplication, options: AppOptions = {}): NestFastifyApplication {
  configureHttp(app);
  serveOpenApi(app);
  serveConsole(app, options.consoleDir);
  return app;
}
