import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuthorizationServerMetadata } from './authorization-server-metadata';

/** RFC 8414 §2, as `GET /.well-known/oauth-authorization-server` serves it. */
@ApiSchema({ name: 'AuthorizationServerMetadata' })
export class AuthorizationServerMetadataSchema implements AuthorizationServerMetadata {
  @ApiProperty({ description: 'JWT_ISSUER: the `iss` of every access token', example: 'https://kouza-link.example' })
  issuer!: string;

  @ApiProperty({ example: 'https://kouza-link.example/oauth/token' })
  token_endpoint!: string;

  @ApiProperty({ example: 'https://kouza-link.example/.well-known/jwks.json' })
  jwks_uri!: string;

  @ApiProperty({ type: [String], example: ['client_credentials'] })
  grant_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post'] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({
    type: [String],
    example: ['links:write', 'links:read', 'investigations:read', 'admin', 'bank:read'],
  })
  scopes_supported!: string[];

  @ApiProperty({ type: [String], description: 'Empty: there is no authorization endpoint', example: [] })
  response_types_supported!: string[];
}
