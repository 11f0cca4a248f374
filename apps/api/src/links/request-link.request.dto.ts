import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsIP,
  IsISO8601,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** Katakana, hiragana (full or half width), spaces, middle dots and long-vowel marks: how names are read. */
export const KANA_NAME = /^[\u3041-\u3096\u309B-\u309F\u30A0-\u30FF\uFF65-\uFF9F\u3000 ・･ー\-\u3099\u309A]+$/u;

// A date and a time with its offset: without one, the time would be read in the server's own time zone.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An ISO 8601 timestamp as API.md means it: a real date and time, with `Z` or an offset. */
export const IsTimestamp = () =>
  applyDecorators(
    IsISO8601({ strict: true }),
    Matches(TIMESTAMP, { message: '$property must be an ISO 8601 date-time with Z or an offset' }),
  );

@ValidatorConstraint({ name: 'notInTheFuture' })
class NotInTheFuture implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Date.parse(value) <= Date.now() + 60_000;
  }
  defaultMessage(): string {
    return '$property must not be in the future';
  }
}

@ValidatorConstraint({ name: 'isCalendarDate' })
class IsPastCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() <= Date.now();
  }
  defaultMessage(): string {
    return '$property must be a real date (YYYY-MM-DD) that is not in the future';
  }
}

export class CustomerDto {
  @ApiProperty({ description: "The payment app's own reference for its user", maxLength: 128, example: 'user-123' })
  @IsString()
  @Length(1, 128)
  reference!: string;
}

export class PersonNameDto {
  @ApiPropertyOptional({ description: 'Name in kanji (as on the ID)', maxLength: 100, example: '山田 太郎' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  kanji?: string;

  @ApiPropertyOptional({
    description: 'Name in kana: katakana or hiragana, full or half width',
    maxLength: 100,
    example: 'ヤマダ タロウ',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(KANA_NAME, { message: 'kana must be written in kana (katakana or hiragana)' })
  kana?: string;
}

export class AddressDto {
  @ApiPropertyOptional({ example: '100-0001' })
  @IsOptional()
  @Matches(/^[0-9０-９]{3}[-－ー]?[0-9０-９]{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' })
  postalCode?: string;

  @ApiPropertyOptional({ maxLength: 10, example: '東京都' })
  @IsOptional()
  @IsString()
  @Length(1, 10)
  prefecture?: string;

  @ApiPropertyOptional({ maxLength: 200, example: '千代田区千代田1-1' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  line?: string;
}

/** Who a person is, as both the app's eKYC and the bank's record describe them. */
export class IdentityAttributesDto {
  @ApiProperty({ type: () => PersonNameDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonNameDto)
  name!: PersonNameDto;

  @ApiPropertyOptional({ example: '090-1234-5678' })
  @IsOptional()
  @Matches(/^\+?[0-9０-９\-－ ()]{9,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ type: () => AddressDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

export class EkycDto extends IdentityAttributesDto {
  @ApiProperty({
    description: 'How the payment app verified its user: jpki, ic_chip_read (photo_id_and_selfie until its retirement)',
    example: 'jpki',
  })
  @IsString()
  @Length(1, 64)
  method!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'With Z or an offset; not in the future',
    example: '2026-11-20T10:00:00Z',
  })
  @IsTimestamp()
  @Validate(NotInTheFuture)
  verifiedAt!: string;

  @ApiPropertyOptional({ format: 'date', example: '1990-01-02' })
  @IsOptional()
  @Validate(IsPastCalendarDate)
  birthDate?: string;
}

export class BankAccountDto {
  @ApiProperty({ pattern: '^\\d{4}$', example: '0001' })
  @Matches(/^\d{4}$/, { message: 'bankCode must be 4 digits' })
  bankCode!: string;

  @ApiProperty({ pattern: '^\\d{3}$', example: '001' })
  @Matches(/^\d{3}$/, { message: 'branchCode must be 3 digits' })
  branchCode!: string;

  @ApiProperty({ enum: ['ordinary', 'current', 'savings'], example: 'ordinary' })
  @IsIn(['ordinary', 'current', 'savings'])
  type!: 'ordinary' | 'current' | 'savings';

  @ApiProperty({ pattern: '^\\d{7}$', description: 'Never returned in full', example: '1234567' })
  @Matches(/^\d{7}$/, { message: 'number must be 7 digits' })
  number!: string;
}

export class DeviceDto {
  @ApiProperty({ description: "The payment app's id of the user's device", maxLength: 128, example: 'device-abc' })
  @IsString()
  @Length(1, 128)
  id!: string;

  @ApiPropertyOptional({
    description: "The end user's IP address (v4 or v6) as the app saw it; kept only as a keyed hash (actor defences)",
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsIP(undefined, { message: 'ipAddress must be an IPv4 or IPv6 address' })
  ipAddress?: string;

  @ApiPropertyOptional({
    description: "The app's user agent on the device; kept only as a keyed hash",
    maxLength: 512,
    example: 'WalletPay/5.2 (iOS 19.1)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  userAgent?: string;
}

/**
 * `POST /v1/links` (API.md). `@ValidateNested` alone also takes an array (of anything, even none) where an
 * object is expected, so every nested object is `@IsObject` too.
 */
export class RequestLinkRequestDto {
  @ApiProperty({ type: () => CustomerDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  /** Optional here: a request without eKYC is refused by the domain (R1), and that refusal is recorded. */
  @ApiPropertyOptional({
    type: () => EkycDto,
    description: "The payment app's own eKYC of its user; without it the link is rejected (ekyc_method_not_allowed)",
  })
  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => EkycDto)
  ekyc?: EkycDto;

  @ApiProperty({ type: () => BankAccountDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BankAccountDto)
  bankAccount!: BankAccountDto;

  @ApiProperty({ type: () => DeviceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DeviceDto)
  device!: DeviceDto;
}

export class RevokeLinkRequestDto {
  @ApiProperty({ maxLength: 500, example: 'the customer closed their wallet' })
  @IsString()
  @Length(1, 500)
  @MaxLength(500)
  reason!: string;
}
