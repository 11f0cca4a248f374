import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsIP,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { DebitView } from '@lib/account-linking/application/debits/debit-view';
import type { BankDebitView } from '@lib/account-linking/application/queries/debits/debit.queries';
import { MAX_YEN_AMOUNT } from '@lib/account-linking/domain/link/link-usage';

export class DebitDeviceDto {
  @ApiProperty({ description: "The payment app's id of the device asking (R9)", maxLength: 128, example: 'device-abc' })
  @IsString()
  @Length(1, 128)
  id!: string;

  @ApiPropertyOptional({
    description: "The end user's IP address as the app saw it; kept only as a keyed hash (actor defences)",
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsIP(undefined, { message: 'ipAddress must be an IPv4 or IPv6 address' })
  ipAddress?: string;
}

/** `POST /v1/links/{id}/debits` (API.md "Debits"). */
export class AuthoriseDebitRequestDto {
  @ApiProperty({ description: 'Integer yen, at least 1', minimum: 1, maximum: MAX_YEN_AMOUNT, example: 5000 })
  @IsInt({ message: 'amount must be a whole number of yen' })
  @Min(1)
  @Max(MAX_YEN_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: ['JPY'], example: 'JPY' })
  @IsIn(['JPY'], { message: 'currency must be JPY' })
  currency!: 'JPY';

  @ApiProperty({ description: "The app's own reference for the charge", maxLength: 100, example: 'charge-123' })
  @IsString()
  @Length(1, 100)
  reference!: string;

  @ApiProperty({ type: () => DebitDeviceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DebitDeviceDto)
  device!: DebitDeviceDto;
}

const STATUSES = ['authorised', 'refused', 'settled', 'failed', 'expired'] as const;

/** A debit as the app sees it: `DebitView` of the application layer, for the OpenAPI document. */
@ApiSchema({ name: 'Debit' })
export class DebitResponseDto implements DebitView {
  @ApiProperty({ example: 'dbt_Qm9uZGVkRGViaXQxMjM0' })
  id!: string;

  @ApiProperty({ example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  linkId!: string;

  @ApiProperty({
    enum: STATUSES,
    description: 'authorised (for 10 minutes), then settled, failed or expired as the bank reports; or refused',
  })
  status!: DebitView['status'];

  @ApiProperty({ example: 5000 })
  amount!: number;

  @ApiProperty({ enum: ['JPY'] })
  currency!: 'JPY';

  @ApiProperty({ example: 'charge-123' })
  reference!: string;

  @ApiProperty({ example: 'device-abc' })
  deviceId!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  authorisedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The authorisation lapses then unless the bank reports it' })
  expiresAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  settledAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  failedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  expiredAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  refusedAt?: string;

  @ApiPropertyOptional({
    description:
      "A refused debit's problem code (link_not_active, device_not_bound, limit_exceeded, actor_blocked); a failed one's reason as the bank gave it",
  })
  reason?: string;

  @ApiPropertyOptional()
  reasonDetail?: string;

  @ApiPropertyOptional({ enum: ['per_debit', 'daily', 'monthly'], description: 'For limit_exceeded: which limit' })
  limit?: DebitView['limit'];

  @ApiPropertyOptional({ description: 'For limit_exceeded: yen still allowed under that limit' })
  remaining?: number;
}

class DebitLinkDto {
  @ApiProperty({ example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  id!: string;

  @ApiProperty({
    description: "The link's status now: execute nothing for a link that is not active",
    example: 'active',
  })
  status!: BankDebitView['link']['status'];
}

/** A debit as its bank checks it before executing it. */
@ApiSchema({ name: 'BankDebit' })
export class BankDebitResponseDto extends DebitResponseDto implements BankDebitView {
  @ApiProperty({ type: () => DebitLinkDto })
  link!: DebitLinkDto;
}

@ApiSchema({ name: 'DebitPage' })
export class DebitPageResponseDto {
  @ApiProperty({ type: () => [DebitResponseDto] })
  items!: DebitResponseDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}
