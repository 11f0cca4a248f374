import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import {
  type InitialDebitLimitsPolicy,
  MAX_INITIAL_LIMIT_DAYS,
  MAX_YEN_AMOUNT,
} from '@lib/account-linking/domain/link/link-usage';

/** Thirty days: a longer cooling-off would be a mistake, not a policy. */
export const MAX_COOLING_OFF_MINUTES = 43_200;

export const CUSTOMER_NOTIFIERS = ['service', 'bank'] as const;

/** A month: the longest window or block a policy may set. */
export const MAX_ACTOR_DEFENCE_MINUTES = 43_200;

export class ActorDefenceSettingsDto {
  @ApiPropertyOptional({
    description: 'Distinct failing accounts that block the actor; lower than the deployment’s to count',
    minimum: 1,
    maximum: 1000,
    example: 2,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  threshold?: number;

  @ApiPropertyOptional({
    description: 'Minutes failures are counted over; longer than the deployment’s to count',
    minimum: 1,
    maximum: MAX_ACTOR_DEFENCE_MINUTES,
    example: 2880,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ACTOR_DEFENCE_MINUTES)
  windowMinutes?: number;

  @ApiPropertyOptional({
    description: 'Minutes a block lasts; longer than the deployment’s to count',
    minimum: 1,
    maximum: MAX_ACTOR_DEFENCE_MINUTES,
    example: 2880,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ACTOR_DEFENCE_MINUTES)
  blockMinutes?: number;
}

export class ActorDefencePolicyDto {
  @ApiPropertyOptional({ type: () => ActorDefenceSettingsDto, description: 'The device (app + device id)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActorDefenceSettingsDto)
  device?: ActorDefenceSettingsDto;

  @ApiPropertyOptional({ type: () => ActorDefenceSettingsDto, description: 'The app customer (app + reference)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActorDefenceSettingsDto)
  customer?: ActorDefenceSettingsDto;

  @ApiPropertyOptional({ type: () => ActorDefenceSettingsDto, description: 'The end user’s address' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActorDefenceSettingsDto)
  ip_address?: ActorDefenceSettingsDto;
}

export class InitialLimitsDto implements InitialDebitLimitsPolicy {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Yen per debit during the first days; null for none',
    minimum: 1,
    maximum: MAX_YEN_AMOUNT,
    example: 10000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_YEN_AMOUNT)
  perDebit!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Yen per Japan-time day during the first days; null for none',
    minimum: 1,
    maximum: MAX_YEN_AMOUNT,
    example: 30000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_YEN_AMOUNT)
  daily!: number | null;

  @ApiProperty({ description: 'Days after activation the limits last', minimum: 1, maximum: MAX_INITIAL_LIMIT_DAYS })
  @IsInt()
  @Min(1)
  @Max(MAX_INITIAL_LIMIT_DAYS)
  days!: number;
}

export class BankPolicyDto implements BankLinkPolicy {
  @ApiProperty({
    enum: CUSTOMER_NOTIFIERS,
    description: 'Who tells the customer at the contact the bank holds (R4): the service, or the bank itself',
    example: 'service',
  })
  @IsIn(CUSTOMER_NOTIFIERS)
  customerNotifiedBy!: 'service' | 'bank';

  @ApiProperty({
    description: 'Minutes the customer has to object after being told, before the link activates (R5); 0 for none',
    minimum: 0,
    maximum: MAX_COOLING_OFF_MINUTES,
    example: 60,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_COOLING_OFF_MINUTES)
  coolingOffMinutes!: number;

  @ApiProperty({ description: 'The customer must confirm at the bank before the link activates', example: false })
  @IsBoolean()
  customerConfirmationRequired!: boolean;

  @ApiProperty({
    description: 'The bank must report a phishing-resistant factor (passkey, PKI) for the link to go ahead',
    example: false,
  })
  @IsBoolean()
  phishingResistantFactorRequired!: boolean;

  @ApiPropertyOptional({
    type: () => ActorDefencePolicyDto,
    description:
      'Tighter actor defences (R8) for links to this bank’s accounts: each value only tightens the deployment’s ' +
      '(a lower threshold, a longer window or block); a looser one has no effect',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActorDefencePolicyDto)
  actorDefences?: ActorDefencePolicyDto;

  @ApiPropertyOptional({
    type: () => InitialLimitsDto,
    description:
      'Tighter limits (R10) for a new link’s first days, over the customer’s own (the lower of the two applies)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InitialLimitsDto)
  initialLimits?: InitialLimitsDto;
}

/** `PUT /v1/admin/banks/{bankCode}`: the bank's whole registration; what is not given is not kept. */
export class RegisterBankRequestDto {
  @ApiProperty({ description: "The bank's name", minLength: 1, maxLength: 100, example: 'みずほ銀行' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ type: () => BankPolicyDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BankPolicyDto)
  policy!: BankPolicyDto;
}
