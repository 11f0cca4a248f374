import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';

/** Thirty days: a longer cooling-off would be a mistake, not a policy. */
export const MAX_COOLING_OFF_MINUTES = 43_200;

export const CUSTOMER_NOTIFIERS = ['service', 'bank'] as const;

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
