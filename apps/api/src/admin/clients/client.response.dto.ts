import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { RegisteredClient } from '@lib/platform/auth/client-registry';
import { CLIENT_ROLES, type ClientRole } from '@lib/platform/auth/client-role';

/** An API client as operators see it; the secret only in the answer that generated it. */
@ApiSchema({ name: 'Client' })
export class ClientResponseDto {
  @ApiProperty({ example: 'wallet-pay' })
  clientId!: string;

  @ApiProperty({ enum: CLIENT_ROLES, example: 'payment_app' })
  role!: ClientRole;

  @ApiProperty({ type: [String], example: ['links:write', 'links:read'] })
  scopes!: string[];

  @ApiProperty({ example: 'Wallet Pay' })
  displayName!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set once the client is disabled' })
  disabledAt!: string | null;

  @ApiPropertyOptional({
    description: 'The generated client secret: in the 201 answer only, when none was given; never shown again',
    example: 'q0Zr2cH1m1vWl8lq7uM7n8wQH8m6T3xS9y2a4b5c6d7',
  })
  secret?: string;
}

export function clientResponseOf(client: RegisteredClient, secret?: string): ClientResponseDto {
  return {
    clientId: client.clientId,
    role: client.role,
    scopes: [...client.scopes],
    displayName: client.displayName,
    createdAt: new Date(client.createdAt).toISOString(),
    disabledAt: client.disabledAt === null ? null : new Date(client.disabledAt).toISOString(),
    ...(secret === undefined ? {} : { secret }),
  };
}
