import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType } from '@nestjs/swagger';
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
import type { BankEvent } from '@lib/account-linking/application/commands/record-bank-event/bank-event';
import { DEBIT_ID_PATTERN } from '@lib/account-linking/application/debits/debit-streams';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { IsDebitLimitChange } from '../links/limits/debit-limit.validation';
import { BankAccountDto, IdentityAttributesDto, IsTimestamp } from '../links/request-link.request.dto';

/** `{ type, data }`: the envelope; `data` is validated by the class of its type. */
export class BankEventEnvelopeDto {
  @IsString()
  @Length(1, 64)
  type!: string;

  @IsObject()
  data!: Record<string, unknown>;
}

class LinkRefDto {
  @ApiProperty({ pattern: LINK_ID_PATTERN.source, example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  @Matches(LINK_ID_PATTERN, { message: 'linkId must be a link id (lnk_…)' })
  linkId!: string;
}

class HolderDto extends IdentityAttributesDto {
  @ApiPropertyOptional({ format: 'date', example: '1990-01-02' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;
}

class ContactDto {
  @ApiPropertyOptional({ description: 'Where the bank reaches its customer', example: '09012345678' })
  @IsOptional()
  @Matches(/^\+?[0-9\- ()]{9,20}$/, { message: 'phone must be a phone number' })
  phone?: string;

  @ApiPropertyOptional({ format: 'email', example: 'taro@example.jp' })
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

@ApiSchema({ name: 'AuthenticationSucceededData', description: 'data of authentication.succeeded' })
export class AuthenticationSucceededDto extends LinkRefDto {
  @ApiProperty({
    enum: AUTHENTICATION_METHODS,
    isArray: true,
    minItems: 1,
    maxItems: 10,
    description: 'The factors the bank used',
    example: ['password', 'otp_sms'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIn(AUTHENTICATION_METHODS, { each: true })
  methods!: string[];

  @ApiProperty({ type: () => HolderDto, description: "The account holder's attributes the bank holds" })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => HolderDto)
  holder!: HolderDto;

  @ApiProperty({ type: () => ContactDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:03:00Z' })
  @IsTimestamp()
  authenticatedAt!: string;
}

@ApiSchema({ name: 'AuthenticationFailedData', description: 'data of authentication.failed' })
export class AuthenticationFailedDto extends LinkRefDto {
  @ApiProperty({ maxLength: 200, example: 'wrong password three times' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

@ApiSchema({ name: 'NotificationDeliveredData', description: 'data of notification.delivered' })
export class NotificationDeliveredDto extends LinkRefDto {
  @ApiProperty({ maxLength: 32, example: 'sms' })
  @IsString()
  @Length(1, 32)
  channel!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:04:00Z' })
  @IsTimestamp()
  deliveredAt!: string;
}

@ApiSchema({ name: 'CustomerRespondedData', description: 'data of customer.confirmed and customer.objected' })
export class CustomerRespondedDto extends LinkRefDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:05:00Z' })
  @IsTimestamp()
  at!: string;
}

@ApiSchema({ name: 'LinkRevokedData', description: 'data of link.revoked' })
export class LinkRevokedAtBankDto extends LinkRefDto {
  @ApiProperty({ maxLength: 200, example: 'the customer ended the link at the bank' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

@ApiSchema({ name: 'FraudReportedData', description: 'data of fraud.reported' })
export class FraudReportedDto extends LinkRefDto {
  @ApiProperty({ maxLength: 200, example: 'the account received the proceeds of a phishing scam' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

@ApiSchema({ name: 'DeviceReauthenticatedData', description: 'data of device.reauthenticated (R9)' })
export class DeviceReauthenticatedDto extends LinkRefDto {
  @ApiProperty({ description: 'The device the app asked to bind the link to', maxLength: 128, example: 'device-xyz' })
  @IsString()
  @Length(1, 128)
  @Matches(/\S/, { message: 'deviceId must not be blank' })
  deviceId!: string;

  @ApiProperty({
    enum: AUTHENTICATION_METHODS,
    isArray: true,
    minItems: 1,
    maxItems: 10,
    description: 'The factors the bank used; judged as at the first authentication (knowledge alone is refused)',
    example: ['password', 'otp_app'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIn(AUTHENTICATION_METHODS, { each: true })
  methods!: string[];

  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:04:00Z' })
  @IsTimestamp()
  authenticatedAt!: string;
}

@ApiSchema({
  name: 'LimitsConfirmedData',
  description: 'data of limits.confirmed: the customer confirmed the pending raise',
})
export class LimitsConfirmedDto extends LinkRefDto {}

@ApiSchema({ name: 'LimitsUpdatedData', description: 'data of limits.updated: limits the bank sets, in force at once' })
export class LimitsUpdatedDto extends LinkRefDto {
  @IsDebitLimitChange('Yen per debit', 30000)
  perDebit?: number | null;

  @IsDebitLimitChange('Yen per day (Japan time)', 50000)
  daily?: number | null;

  @IsDebitLimitChange('Yen per month (Japan time)', 200000)
  monthly?: number | null;
}

/** One of the sender's accounts: the bank code is the path's, so a bank names none of another bank's. */
@ApiSchema({ name: 'AccountAtThisBank', description: "An account of the sending bank (its bank code is the path's)" })
class AccountAtThisBankDto extends OmitType(BankAccountDto, ['bankCode'] as const) {}

@ApiSchema({ name: 'AccountClosedData', description: 'data of account.closed (no linkId: the account is named)' })
export class AccountClosedDto {
  @ApiProperty({ type: () => AccountAtThisBankDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AccountAtThisBankDto)
  bankAccount!: AccountAtThisBankDto;
}

class DebitRefDto {
  @ApiProperty({ pattern: DEBIT_ID_PATTERN.source, example: 'dbt_Qm9uZGVkRGViaXQxMjM0' })
  @Matches(DEBIT_ID_PATTERN, { message: 'debitId must be a debit id (dbt_…)' })
  debitId!: string;
}

@ApiSchema({ name: 'DebitSettledData', description: 'data of debit.settled: the bank executed the debit' })
export class DebitSettledDto extends DebitRefDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T10:00:00Z' })
  @IsTimestamp()
  settledAt!: string;
}

@ApiSchema({ name: 'DebitFailedData', description: 'data of debit.failed: the bank could not execute the debit' })
export class DebitFailedDto extends DebitRefDto {
  @ApiProperty({ maxLength: 200, example: 'insufficient_funds' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

/**
 * The class that validates the `data` of each bank event type. Every type of `BankEvent` needs one, and its
 * instances must be that type's data: a type added there and not here fails the build.
 */
export const DATA_CLASS_BY_TYPE = {
  'authentication.succeeded': AuthenticationSucceededDto,
  'authentication.failed': AuthenticationFailedDto,
  'notification.delivered': NotificationDeliveredDto,
  'customer.confirmed': CustomerRespondedDto,
  'customer.objected': CustomerRespondedDto,
  'link.revoked': LinkRevokedAtBankDto,
  'fraud.reported': FraudReportedDto,
  'device.reauthenticated': DeviceReauthenticatedDto,
  'account.closed': AccountClosedDto,
  'debit.settled': DebitSettledDto,
  'debit.failed': DebitFailedDto,
  'limits.confirmed': LimitsConfirmedDto,
  'limits.updated': LimitsUpdatedDto,
} as const satisfies { readonly [Type in BankEvent['type']]: new () => Extract<BankEvent, { type: Type }>['data'] };
