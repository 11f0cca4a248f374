import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@lib/platform/config/app-config';

/**
 * pino-http as the service logs requests: one JSON line per request under Fastify's request id (the
 * caller's X-Request-Id when sane). Requests carry tokens, signatures and personal data: no header, no
 * body, and no query string (`?number=…` on an account search) is logged; the path alone.
 */
export function requestLoggingParams(config: Pick<AppConfig, 'LOG_LEVEL'>): Params {
  return {
    // nestjs-pino's default (`{/*splat}`) matches only `/` under Nest 12's Fastify adapter: every path, then.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.LOG_LEVEL,
      // Fastify already chose the request id (see createHttpAdapter): log under the same one.
      genReqId: (request) => (request as { id?: string }).id ?? randomUUID(),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
