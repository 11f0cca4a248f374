import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidAccessTokenError } from './access-token-claims';
import { ACCESS_TOKEN_VERIFIER, type AccessTokenVerifier, IssuerKeysUnavailableError } from './access-token-verifier';
import { bearerChallenge, issuerKeysUnavailableProblem, unauthorizedProblem } from './auth-problems';
import { attachPrincipal } from './auth-principal';

// RFC 6750 §2.1: the scheme is case-insensitive, the token is token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Admits a request carrying a valid `Authorization: Bearer` access token and records its principal. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(@Inject(ACCESS_TOKEN_VERIFIER) private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined) {
      reply.header('www-authenticate', bearerChallenge());
      throw unauthorizedProblem();
    }
    try {
      attachPrincipal(request, await this.verifier.verify(token));
      return true;
    } catch (error) {
      if (error instanceof IssuerKeysUnavailableError) throw issuerKeysUnavailableProblem();
      if (!(error instanceof InvalidAccessTokenError)) throw error;
      reply.header('www-authenticate', bearerChallenge('invalid_token'));
      throw unauthorizedProblem();
    }
  }
}
