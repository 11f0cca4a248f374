import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyReply } from 'fastify';
import { ACCESS_TOKEN_STRATEGY, AccessTokenStrategy } from './access-token.strategy';
import { IssuerKeysUnavailableError } from './access-token-verifier';
import { bearerChallenge, issuerKeysUnavailableProblem, unauthorizedProblem } from './auth-problems';
import { type AuthPrincipal, attachPrincipal } from './auth-principal';

/**
 * Admits a request carrying a valid `Authorization: Bearer` access token, authenticated by passport's
 * `access-token` strategy, and records its principal (`principalOf`, `@Principal()`; passport's `request.user`).
 * Answers 401 `unauthorized` with the strategy's challenge, or 503 `token_issuer_unavailable`.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(ACCESS_TOKEN_STRATEGY) {
  // Injected so that the guard cannot be built where the strategy it names is not registered.
  constructor(@Inject(AccessTokenStrategy) readonly strategy: AccessTokenStrategy) {
    super();
  }

  // Stateless bearer tokens: no session, and passport never writes the reply itself (the callback decides).
  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return { session: false };
  }

  override handleRequest<TUser = AuthPrincipal>(
    error: unknown,
    principal: AuthPrincipal | false | null | undefined,
    challenge: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error instanceof IssuerKeysUnavailableError) throw issuerKeysUnavailableProblem();
    if (error) throw error;
    const http = context.switchToHttp();
    if (!principal) {
      // The strategy's challenge: bare without a token, `error="invalid_token"` when one failed (RFC 6750 §3).
      const header = typeof challenge === 'string' ? challenge : bearerChallenge();
      http.getResponse<FastifyReply>().header('www-authenticate', header);
      throw unauthorizedProblem();
    }
    attachPrincipal(http.getRequest<object>(), principal);
    return principal as TUser;
  }
}
