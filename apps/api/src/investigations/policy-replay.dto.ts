import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import type { ExistingLinkStatus } from '@lib/account-linking/application/ports/link-read-model.port';
import type { KycField } from '@lib/account-linking/domain/kyc/kyc-attributes';

const KYC_FIELDS: KycField[] = ['nameKana', 'nameKanji', 'birthDate', 'phone', 'address'];
const LINK_STATUSES: ExistingLinkStatus[] = [
  'awaiting_bank_authentication',
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
  'active',
  'suspended',
  'revoked',
  'rejected',
  'expired',
];
const POLICY_REPLAY_CODES = [
  'ekyc_method_not_allowed',
  'weak_bank_authentication',
  'phishing_resistant_factor_required',
  'kyc_mismatch',
];

const IsKycFieldGroups = () =>
  ValidateBy({
    name: 'isKycFieldGroups',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.every(
          (group) =>
            Array.isArray(group) &&
            group.length > 0 &&
            group.length <= KYC_FIELDS.length &&
            group.every((field) => KYC_FIELDS.includes(field)),
        ),
      defaultMessage: () => 'anyOf must be non-empty groups of KYC field names',
    },
  });

export class KycRuleDto {
  @ApiProperty({ enum: KYC_FIELDS, isArray: true, description: 'Every one of these fields must have matched' })
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(KYC_FIELDS, { each: true })
  allOf!: KycField[];

  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string', enum: KYC_FIELDS } },
    description: 'At least one field of each group must have matched',
  })
  @IsArray()
  @ArrayMaxSize(5)
  @IsKycFieldGroups()
  anyOf!: KycField[][];
}

export class ReplayPolicyDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['jpki', 'ic_chip_read'],
    description: 'The eKYC methods a link may rest on; a link whose recorded method is not here fails',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z0-9_]{1,64}$/, { each: true, message: 'allowedEkycMethods must be method names' })
  allowedEkycMethods?: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Photo-of-ID eKYC only for links requested before this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  photoIdAllowedUntil?: string;

  @ApiPropertyOptional({
    description: 'The bank authentication must have had a phishing-resistant factor (passkey, PKI)',
  })
  @IsOptional()
  @IsBoolean()
  requirePhishingResistant?: boolean;

  @ApiPropertyOptional({ minimum: 2, maximum: 3, description: 'At least this many different factor kinds' })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(3)
  minFactorKinds?: number;

  @ApiPropertyOptional({ type: KycRuleDto, description: 'A KYC match rule, judged on the recorded per-field outcomes' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KycRuleDto)
  kycRule?: KycRuleDto;
}

/** `POST /v1/investigations/policy-replays` (API.md "Evidence, policy replay, erasure"). */
export class StartPolicyReplayRequestDto {
  @ApiProperty({ type: ReplayPolicyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ReplayPolicyDto)
  policy!: ReplayPolicyDto;

  @ApiPropertyOptional({ enum: LINK_STATUSES, isArray: true, default: ['active'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LINK_STATUSES.length)
  @IsIn(LINK_STATUSES, { each: true })
  statuses?: ExistingLinkStatus[];
}

export class PolicyReplayStartedDto {
  @ApiProperty({ example: 'prp_0b6c…' })
  id!: string;
}

export class PolicyReplayProgressDto {
  @ApiProperty()
  linksChecked!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Known once a worker has started the replay' })
  linksTotal!: number | null;
}

export class PolicyReplayItemDto {
  @ApiProperty()
  linkId!: string;

  @ApiProperty({ enum: POLICY_REPLAY_CODES, isArray: true })
  wouldFail!: string[];
}

export class PolicyReplayResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] })
  status!: string;

  @ApiProperty({ type: ReplayPolicyDto })
  policy!: ReplayPolicyDto;

  @ApiProperty({ enum: LINK_STATUSES, isArray: true })
  statuses!: string[];

  @ApiProperty({ type: PolicyReplayProgressDto })
  progress!: PolicyReplayProgressDto;

  @ApiProperty({ type: [PolicyReplayItemDto], description: 'The links that would fail, with the codes' })
  items!: PolicyReplayItemDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiPropertyOptional({ description: 'Why a failed replay failed' })
  error?: string;
}
