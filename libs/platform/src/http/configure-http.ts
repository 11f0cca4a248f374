import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemFilter } from '../problem/problem.filter';
import { validationPipe } from '../problem/validation-pipe';

/** Nest options every process of the service is created with: the raw body is kept for webhook signatures. */
export const APP_OPTIONS = { rawBody: true } as const;

/** What every HTTP process of the service gets (api and worker), in production and in tests alike. */
export function configureHttp(app: NestFastifyApplication): NestFastifyApplication {
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  return app;
}
