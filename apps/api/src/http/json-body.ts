import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '@lib/platform/problem/problem.exception';

/**
 * The API takes JSON bodies only (API.md "Conventions"). Fastify also parses `text/plain` and Nest
 * `application/x-www-form-urlencoded` (for `/oauth/token`), and such a body would otherwise reach validation
 * as if it were data: a 400 that hides the real mistake.
 */
export function assertJsonBody(request: FastifyRequest): void {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new ProblemException({
      status: 415,
      code: 'unsupported_media_type',
      detail: 'This endpoint accepts application/json request bodies only.',
    });
  }
}

/** `assertJsonBody` as a guard: list it after the authentication guards, so a stranger learns nothing. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    assertJsonBody(context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}
