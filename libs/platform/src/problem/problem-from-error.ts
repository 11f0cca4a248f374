import { HttpException } from '@nestjs/common';
import { problemCodeForStatus, titleForStatus } from './http-status-problem';
import { type Problem, problemTypeFor } from './problem';
import { ProblemException } from './problem.exception';

export interface RenderedError {
  readonly problem: Problem;
  /** A server fault: log it. Client errors are answered, not logged. */
  readonly unexpected: boolean;
}

interface RequestProblem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
}

const MALFORMED_JSON: RequestProblem = {
  status: 400,
  code: 'malformed_json',
  detail: 'The request body is not valid JSON.',
};

// Fastify rejects these before any route code runs; Nest hands them over wrapped in an HttpException.
const FASTIFY_REQUEST_PROBLEMS: Readonly<Record<string, RequestProblem>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: MALFORMED_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    detail: 'The request body is larger than this endpoint accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'This endpoint does not accept the content type of the request body.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_request',
    detail: 'The Content-Length header does not match the request body.',
  },
  // The router's own refusals, before any hook runs (Fastify's `frameworkErrors`).
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'malformed_url',
    detail: 'A path segment of the request URL is not valid percent-encoding.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri_too_long',
    detail: 'A path segment of the request URL is longer than this service accepts.',
  },
};

export function problemFromError(error: unknown): RenderedError {
  if (error instanceof ProblemException) {
    return { problem: error.problem, unexpected: error.problem.status >= 500 };
  }
  const fastifyProblem = FASTIFY_REQUEST_PROBLEMS[fastifyCodeOf(error) ?? ''];
  if (fastifyProblem) {
    return { problem: problemOf(fastifyProblem.status, fastifyProblem.code, fastifyProblem.detail), unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status >= 500) return { problem: problemOf(status, problemCodeForStatus(status)), unexpected: true };
    return { problem: problemOf(status, problemCodeForStatus(status), clientDetailOf(error)), unexpected: false };
  }
  return { problem: problemOf(500, 'internal_error'), unexpected: true };
}

function problemOf(status: number, code: string, detail?: string): Problem {
  return {
    type: problemTypeFor(code),
    title: titleForStatus(status),
    status,
    ...(detail === undefined ? {} : { detail }),
    code,
  };
}

function fastifyCodeOf(error: unknown): string | undefined {
  const candidate = error instanceof HttpException ? error.cause : error;
  if (!(candidate instanceof Error) || candidate.name !== 'FastifyError') return undefined;
  const code: unknown = (candidate as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The message a developer wrote for a 4xx (e.g. a built-in pipe's). Not for 404, whose default message
 * repeats the requested path, nor for auth failures, where detail only helps an attacker.
 */
function clientDetailOf(error: HttpException): string | undefined {
  const status = error.getStatus();
  if (status === 401 || status === 403 || status === 404) return undefined;
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (typeof message !== 'string' || message === titleForStatus(status)) return undefined;
  return message;
}
