import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Problem, PROBLEM_CONTENT_TYPE } from './problem';
import { problemFromError } from './problem-from-error';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

type AnyRequest = FastifyRequest | IncomingMessage;
type AnyResponse = FastifyReply | ServerResponse;

/** Renders every error of the Fastify HTTP app as `application/problem+json`; register it as a global filter. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<AnyRequest>();
    const response = http.getResponse<AnyResponse>();
    const requestId = requestIdOf(request, response);
    const { problem, unexpected } = problemFromError(error);
    if (unexpected) this.logUnexpected(error, request, requestId);
    send(response, problem, requestId);
  }

  /** Error messages may quote personal data (a driver echoing a row): only the class, code and frames go out. */
  private logUnexpected(error: unknown, request: AnyRequest, requestId: string): void {
    const route = ('routeOptions' in request ? request.routeOptions.url : undefined) ?? request.url?.split('?')[0];
    const name = error instanceof Error ? error.name : typeof error;
    const code = (error as { code?: unknown } | null)?.code;
    const label = typeof code === 'string' || typeof code === 'number' ? `${name} (${code})` : name;
    const message = `Unhandled ${label} on ${request.method} ${route} [request ${requestId}]`;
    const frames = error instanceof Error ? stackFramesOf(error) : undefined;
    if (frames) this.logger.error(message, frames);
    else this.logger.error(message);
  }
}

/**
 * Fastify's `frameworkErrors` option: its router refuses a malformed URL or an over-long path parameter
 * before any hook runs, so before Nest and its filters see the request; rendered here as they would be.
 */
export function sendFrameworkErrorProblem(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  send(reply, problemFromError(error).problem, String(request.id));
}

function requestIdOf(request: AnyRequest, response: AnyResponse): string {
  const alreadySet = response.getHeader(REQUEST_ID_HEADER);
  if (typeof alreadySet === 'string') return alreadySet;
  return requestIdFrom(request.headers[REQUEST_ID_HEADER]);
}

function send(response: AnyResponse, problem: Problem, requestId: string): void {
  const body = Buffer.from(JSON.stringify(problem));
  // Errors of Nest middleware may come with the bare Node response rather than Fastify's reply.
  if (!('status' in response)) {
    if (response.headersSent) return;
    response.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE, [REQUEST_ID_HEADER]: requestId });
    response.end(body);
    return;
  }
  if (response.sent) return;
  void response
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header(REQUEST_ID_HEADER, requestId)
    .send(body);
}

function stackFramesOf(error: Error): string | undefined {
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}
