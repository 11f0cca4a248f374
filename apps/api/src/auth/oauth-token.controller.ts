import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ACCESS_TOKEN_ISSUER, type AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { ApiProblems } from '../openapi/api-docs.decorators';
import { oauthProblem } from './oauth-problem';
import { TokenRequestSchema, TokenResponseSchema } from './token.schemas';
import { BASIC_SCHEME, type ClientCredentialsRequest, parseTokenRequest } from './token-request';

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** RFC 6749 §4.4 client-credentials grant: a client trades its id and secret for a short-lived JWT. */
@ApiTags('auth')
@Controller('oauth')
export class OAuthTokenController {
  constructor(
    @Inject(CLIENT_REGISTRY) private readonly registry: ClientRegistry,
    @Inject(ACCESS_TOKEN_ISSUER) private readonly issuer: AccessTokenIssuer,
  ) {}

  @Post('token')
  @ApiOperation({
    summary: 'Trade client credentials for an access token (OAuth 2.0 client credentials)',
    description: 'The token goes in `Authorization: Bearer …` on the other routes.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestSchema })
  @ApiOkResponse({ type: TokenResponseSchema })
  @ApiProblems({
    400: 'invalid_request, unsupported_grant_type or invalid_scope',
    401: 'Unknown client or wrong secret (`invalid_client`)',
  })
  @HttpCode(200)
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    // §5.1 and §5.2: neither a token nor an error about credentials may be cached.
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      return await this.grant(parseTokenRequest(body, authorization));
    } catch (error) {
      const failedBasic = error instanceof ProblemException && error.problem.code === 'invalid_client';
      if (failedBasic && BASIC_SCHEME.test(authorization ?? '')) {
        reply.header('www-authenticate', 'Basic realm="kouza-link", charset="UTF-8"');
      }
      throw error;
    }
  }

  private async grant(request: ClientCredentialsRequest): Promise<TokenResponse> {
    const client = await this.registry.verify(request.clientId, request.clientSecret);
    if (!client) throw oauthProblem('invalid_client', 'Unknown client, wrong secret, or a disabled client.');
    const requested = request.requestedScopes ?? client.scopes;
    if (!requested.every((scope) => client.scopes.includes(scope))) {
      throw oauthProblem('invalid_scope', 'A requested scope is not granted to this client.');
    }
    const issued = await this.issuer.issue({ clientId: client.clientId, role: client.role, scopes: requested });
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
    };
  }
}
