import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { ACCESS_TOKEN_ISSUER, type AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';

/** The public key(s) that verify this service's access tokens (RFC 7517). */
@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(ACCESS_TOKEN_ISSUER) private readonly issuer: AccessTokenIssuer) {}

  @Get('jwks.json')
  @ApiOperation({ summary: "The public keys that verify the service's access tokens (RFC 7517)" })
  @ApiOkResponse({
    description: 'A JSON Web Key Set',
    schema: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } },
  })
  @Header('cache-control', 'public, max-age=300')
  jwks(): JSONWebKeySet {
    return this.issuer.jwks();
  }
}
