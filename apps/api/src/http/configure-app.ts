import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemFilter } from '@lib/platform/problem/problem.filter';
import { validationPipe } from '@lib/platform/problem/validation-pipe';
import { serveOpenApi } from '../openapi/openapi-document';

/** Nest options the service needs at creation: the raw body is kept for webhook signatures. */
export const APP_OPTIONS = { rawBody: true } as const;

/** What every instance of the service gets, in production and in tests alike. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}
