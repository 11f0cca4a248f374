import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../problem/problem.exception';

export const INVESTIGATION_CASE_HEADER = 'x-investigation-case';
export const REQUIRES_INVESTIGATION_CASE_KEY = 'kouza-link:auth:requires-investigation-case';

const CASE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The route must carry `X-Investigation-Case: <case id>`; `RolesGuard` enforces it after authentication and
 * role checks, so an unauthenticated caller learns nothing from a 400.
 */
export const RequiresInvestigationCase = () => SetMetadata(REQUIRES_INVESTIGATION_CASE_KEY, true);

/** The case id of the request, or the 400 `investigation_case_required` problem. */
export function investigationCaseOf(request: FastifyRequest): string {
  const value = request.headers[INVESTIGATION_CASE_HEADER];
  if (typeof value === 'string' && CASE_ID.test(value)) return value;
  throw new ProblemException({
    status: 400,
    code: 'investigation_case_required',
    title: 'Investigation case required',
    detail: 'Investigator requests must name their case in X-Investigation-Case (1-64 of A-Z a-z 0-9 . _ : -).',
  });
}

/** The validated `X-Investigation-Case` of the request (for event metadata and audit). */
export const InvestigationCase = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  investigationCaseOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
