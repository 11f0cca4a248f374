import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { AddressDto, IsTimestamp, PersonNameDto } from '../links/request-link.request.dto';

const LINK_ID = /^lnk_[A-Za-z0-9_-]{1,64}$/;

/** `{ type, data }`: the envelope; `data` is validated by the class of its type. */
export class BankEventEnvelopeDto {
  @IsString()
  @Length(1, 64)
  type!: string;

  @IsObject()
  data!: Record<string, unknown>;
}

class LinkRefDto {
  @Matches(LINK_ID, { message: 'linkId must be a link id (lnk_…)' })
  linkId!: string;
}

class HolderDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonNameDto)
  name!: PersonNameDto;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
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

class ContactDto {
  @IsOptional()
  @Matches(/^\+?[0-9\- ()]{9,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @IsOptional()
  @IsEmail()
  email?: string;
}

export const AUTHENTICATION_METHODS = [
  'pin',
  'password',
  'birth_date',
  'otp_sms',
  'otp_voice',
  'otp_app',
  'otp_hardware',
  'passkey',
  'pki',
  'biometric',
] as const;

export class AuthenticationSucceededDto extends LinkRefDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIn(AUTHENTICATION_METHODS, { each: true })
  methods!: string[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => HolderDto)
  holder!: HolderDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @IsTimestamp()
  authenticatedAt!: string;
}

export class AuthenticationFailedDto extends LinkRefDto {
  @IsString()
  @Length(1, 200)
  reason!: string;
}

export class NotificationDeliveredDto extends LinkRefDto {
  @IsString()
  @Length(1, 32)
  channel!: string;

  @IsTimestamp()
  deliveredAt!: string;
}

export class CustomerRespondedDto extends LinkRefDto {
  @IsTimestamp()
  at!: string;
}

export class LinkRevokedAtBankDto extends LinkRefDto {
  @IsString()
  @Length(1, 200)
  reason!: string;
}

export const DATA_CLASS_BY_TYPE = {
  'authentication.succeeded': AuthenticationSucceededDto,
  'authentication.failed': AuthenticationFailedDto,
  'notification.delivered': NotificationDeliveredDto,
  'customer.confirmed': CustomerRespondedDto,
  'customer.objected': CustomerRespondedDto,
  'link.revoked': LinkRevokedAtBankDto,
} as const;
