import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
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
  @IsString()
  @Length(1, 128)
  reference!: string;
}

export class PersonNameDto {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  kanji?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(KANA_NAME, { message: 'kana must be written in kana (katakana or hiragana)' })
  kana?: string;
}

export class AddressDto {
  @IsOptional()
  @Matches(/^[0-9０-９]{3}[-－ー]?[0-9０-９]{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' })
  postalCode?: string;

  @IsOptional()
  @IsString()
  @Length(1, 10)
  prefecture?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  line?: string;
}

export class EkycDto {
  @IsString()
  @Length(1, 64)
  method!: string;

  @IsTimestamp()
  @Validate(NotInTheFuture)
  verifiedAt!: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonNameDto)
  name!: PersonNameDto;

  @IsOptional()
  @Validate(IsPastCalendarDate)
  birthDate?: string;

  @IsOptional()
  @Matches(/^\+?[0-9０-９\-－ ()]{9,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

export class BankAccountDto {
  @Matches(/^\d{4}$/, { message: 'bankCode must be 4 digits' })
  bankCode!: string;

  @Matches(/^\d{3}$/, { message: 'branchCode must be 3 digits' })
  branchCode!: string;

  @IsIn(['ordinary', 'current', 'savings'])
  type!: 'ordinary' | 'current' | 'savings';

  @Matches(/^\d{7}$/, { message: 'number must be 7 digits' })
  number!: string;
}

export class DeviceDto {
  @IsString()
  @Length(1, 128)
  id!: string;
}

/**
 * `POST /v1/links` (API.md). `@ValidateNested` alone also takes an array (of anything, even none) where an
 * object is expected, so every nested object is `@IsObject` too.
 */
export class RequestLinkRequestDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  /** Optional here: a request without eKYC is refused by the domain (R1), and that refusal is recorded. */
  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => EkycDto)
  ekyc?: EkycDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BankAccountDto)
  bankAccount!: BankAccountDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DeviceDto)
  device!: DeviceDto;
}

export class RevokeLinkRequestDto {
  @IsString()
  @Length(1, 500)
  @MaxLength(500)
  reason!: string;
}
