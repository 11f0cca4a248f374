import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { InvalidAccessTokenError } from './access-token-claims';
import { ACCESS_TOKEN_VERIFIER, type AccessTokenVerifier } from './access-token-verifier';
import { BEARER_REALM } from './auth-problems';
import type { AuthPrincipal } from './auth-principal';

/** The name `JwtAuthGuard` authenticates with. */
export const ACCESS_TOKEN_STRATEGY = 'access-token';

// RFC 6750 §2.1: the scheme is case-insensitive, the token is token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

type BearerRequest = Parameters<InstanceType<typeof BearerStrategy>['authenticate']>[0];

/**
 * Passport's `access-token` strategy: reads the `Authorization: Bearer` token and has the `AccessTokenVerifier`
 * (`jose`, so EdDSA works) name its principal. A bad token fails with an `invalid_token` challenge; an issuer
 * whose keys cannot be fetched is an error (`IssuerKeysUnavailableError`), not a failed authentication.
 *
 * Passport keeps strategies in one process-wide registry, so the last application built in a process owns the
 * name: one application per process, as the service runs.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(BearerStrategy, ACCESS_TOKEN_STRATEGY) {
  constructor(@Inject(ACCESS_TOKEN_VERIFIER) private readonly verifier: AccessTokenVerifier) {
    super({ realm: BEARER_REALM });
  }

  /**
   * Only the header carries a token (§2.1): `passport-http-bearer` would also take `access_token` from the body
   * (§2.2) or the query (§2.3), where it ends up in logs, so it is handed the header's token and nothing else.
   */
  override authenticate(request: { readonly headers: IncomingHttpHeaders }, options?: object): void {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
    super.authenticate({ headers } as BearerRequest, options);
  }

  async validate(token: string): Promise<AuthPrincipal | false> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) return false;
      throw error;
    }
  }
}
