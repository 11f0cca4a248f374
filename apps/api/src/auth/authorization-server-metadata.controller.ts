import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { ApiProblems } from '../openapi/api-docs.decorators';
import {
  AUTHORIZATION_SERVER_DISCOVERY,
  AUTHORIZATION_SERVER_METADATA_PATH,
  type AuthorizationServerDiscovery,
  type AuthorizationServerMetadata,
} from './authorization-server-metadata';
import { AuthorizationServerMetadataSchema } from './authorization-server-metadata.schema';

/** RFC 8414 discovery of the token endpoint and keys, for OAuth client libraries. */
@ApiTags('auth')
@Controller(AUTHORIZATION_SERVER_METADATA_PATH)
export class AuthorizationServerMetadataController {
  constructor(@Inject(AUTHORIZATION_SERVER_DISCOVERY) private readonly discovery: AuthorizationServerDiscovery) {}

  @Get()
  @ApiOperation({
    summary: 'Authorization-server metadata (RFC 8414): the token endpoint, the JWKS, grants and scopes',
    description:
      'The `issuer` is JWT_ISSUER, which must then be the service’s public URL; an issuer with a path `/p` is ' +
      'also served at `/.well-known/oauth-authorization-server/p` (RFC 8414 §3.1). Not served when the ' +
      'service trusts an external issuer (JWT_JWKS_URL) instead of issuing tokens.',
  })
  @ApiOkResponse({ type: AuthorizationServerMetadataSchema })
  @ApiProblems({ 404: 'JWT_ISSUER is not an http(s) URL (`authorization_server_metadata_unavailable`)' })
  @Header('cache-control', 'public, max-age=300')
  metadata(): AuthorizationServerMetadata {
    return this.metadataFor('');
  }

  @Get('*')
  @ApiExcludeEndpoint()
  @Header('cache-control', 'public, max-age=300')
  metadataOfIssuerPath(@Param('*') path: string): AuthorizationServerMetadata {
    return this.metadataFor(`/${path}`.replace(/\/+$/, ''));
  }

  private metadataFor(issuerPath: string): AuthorizationServerMetadata {
    const { discovery } = this;
    if (!discovery.published) {
      throw new ProblemException({
        status: 404,
        code: 'authorization_server_metadata_unavailable',
        detail: discovery.detail,
      });
    }
    if (issuerPath !== '' && issuerPath !== discovery.issuerPath) {
      throw new ProblemException({
        status: 404,
        code: 'not_found',
        detail: `The issuer is ${discovery.metadata.issuer}: its metadata is not at this path.`,
      });
    }
    return discovery.metadata;
  }
}
