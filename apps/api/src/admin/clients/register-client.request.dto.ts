import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CLIENT_ID_PATTERN, CLIENT_ROLES, type ClientRole } from '@lib/platform/auth/client-role';
import { MAX_CLIENT_SECRET_LENGTH, MIN_CLIENT_SECRET_LENGTH } from '@lib/platform/auth/client-registry';

export class RegisterClientRequestDto {
  @ApiProperty({
    description: 'The OAuth client id; a bank client must be `bank-<bank code>`, which binds it to that bank',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
    example: 'wallet-pay',
  })
  @IsString()
  @Matches(CLIENT_ID_PATTERN, {
    message: 'clientId must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  clientId!: string;

  @ApiProperty({ enum: CLIENT_ROLES, example: 'payment_app' })
  @IsIn(CLIENT_ROLES)
  role!: ClientRole;

  @ApiProperty({ description: 'Who the client is, for operators', minLength: 1, maxLength: 100, example: 'Wallet Pay' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName!: string;

  @ApiPropertyOptional({
    description: 'The client secret; when absent the service generates one and returns it once',
    minLength: MIN_CLIENT_SECRET_LENGTH,
    maxLength: MAX_CLIENT_SECRET_LENGTH,
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Length(MIN_CLIENT_SECRET_LENGTH, MAX_CLIENT_SECRET_LENGTH)
  secret?: string;
}
