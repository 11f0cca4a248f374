import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp } from '@lib/platform/http/configure-http';
import { serveOpenApi } from '../openapi/openapi-document';

/** What every instance of the api gets, in production and in tests alike: the service's HTTP setup and OpenAPI. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  configureHttp(app);
  serveOpenApi(app);
  return app;
}
