import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsTimestamp } from '../../links/request-link.request.dto';

export const WEBHOOK_KEY_KINDS = ['hmac', 'ed25519'] as const;

/** Key ids travel in logs and the audit: a conservative token only. */
export const WEBHOOK_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `POST /v1/admin/banks/{bankCode}/webhook-keys`. A rotation adds the new key, then ends the old one's validity. */
export class AddWebhookKeyRequestDto {
  @ApiProperty({ description: 'Unique among the bank’s keys', pattern: WEBHOOK_KEY_ID.source, example: 'hmac-2026-11' })
  @IsString()
  @Matches(WEBHOOK_KEY_ID, {
    message: 'keyId must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  keyId!: string;

  @ApiProperty({ enum: WEBHOOK_KEY_KINDS, description: 'hmac: `v1` signatures; ed25519: `v1a` signatures' })
  @IsIn(WEBHOOK_KEY_KINDS)
  kind!: 'hmac' | 'ed25519';

  @ApiPropertyOptional({
    description:
      'hmac only: the shared `whsec_<base64>` secret (16+ bytes). When absent the service generates one and ' +
      'returns it in this answer only.',
    writeOnly: true,
    maxLength: 512,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  secret?: string;

  @ApiPropertyOptional({
    description:
      "ed25519 only, required: the bank's public key, PEM (SPKI), `whpk_<base64>` or base64 of the raw 32 bytes",
    maxLength: 2000,
    example: 'whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  publicKey?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Valid from (inclusive); now when absent' })
  @IsOptional()
  @IsTimestamp()
  notBefore?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Valid until (exclusive); open-ended when absent' })
  @IsOptional()
  @IsTimestamp()
  notAfter?: string;
}

/** `PATCH /v1/admin/banks/{bankCode}/webhook-keys/{keyId}`: the end of a key's validity, e.g. after a rotation. */
export class WebhookKeyValidityRequestDto {
  @ApiProperty({
    format: 'date-time',
    description: 'Signatures made with this key are refused from this instant (exclusive)',
    example: '2026-12-01T00:00:00Z',
  })
  @IsTimestamp()
  notAfter!: string;
}
