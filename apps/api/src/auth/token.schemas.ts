import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** RFC 6749 §4.4.2, as a form (or JSON) body; the client may authenticate with HTTP Basic instead. */
@ApiSchema({ name: 'TokenRequest' })
export class TokenRequestSchema {
  @ApiProperty({ enum: ['client_credentials'] })
  grant_type!: 'client_credentials';

  @ApiPropertyOptional({ description: 'Unless given by HTTP Basic', example: 'sandbox-app' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'Unless given by HTTP Basic', format: 'password' })
  client_secret?: string;

  @ApiPropertyOptional({
    description: 'Space-separated scopes, a subset of the client’s; all of them when absent',
    example: 'links:write links:read',
  })
  scope?: string;
}

@ApiSchema({ name: 'TokenResponse' })
export class TokenResponseSchema {
  @ApiProperty({ description: 'A short-lived JWT (EdDSA)' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires', example: 900 })
  expires_in!: number;

  @ApiProperty({ example: 'links:write links:read' })
  scope!: string;
}
