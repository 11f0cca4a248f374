import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { JSONWebKeySet } from 'jose';
import { ACCESS_TOKEN_ISSUER, type AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';

/** The public key(s) that verify this service's access tokens (RFC 7517). */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(ACCESS_TOKEN_ISSUER) private readonly issuer: AccessTokenIssuer) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.issuer.jwks();
  }
}
