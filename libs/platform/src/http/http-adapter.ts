import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { jsonBodyFieldErrors } from '@lib/platform/problem/json-body-checks';
import { sendFrameworkErrorProblem } from '@lib/platform/problem/problem.filter';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane, else a fresh one; echoed on every response. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify as the service runs it, in production and in tests alike. */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: 256 * 1024,
    trustProxy: false,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A malformed URL or an over-long path parameter: problem+json too, not Fastify's own JSON error.
    frameworkErrors: sendFrameworkErrorProblem,
  });
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Shutting down, a request in flight still gets its answer, but on a connection that then closes: left
  // open, an idle keep-alive socket would hold the server's close for its whole keep-alive timeout (72 s).
  let closing = false;
  adapter.getInstance().addHook('preClose', async () => {
    closing = true;
  });
  adapter.getInstance().addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // Every JSON body, before any interceptor, pipe or controller walks it (see jsonBodyFieldErrors).
  adapter.getInstance().addHook('preValidation', async (request) => {
    if (request.body === undefined || !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? ''))
      return;
    const errors = jsonBodyFieldErrors(request.body);
    if (errors.length > 0) throw fieldValidationProblem(errors);
  });
  return adapter;
}
