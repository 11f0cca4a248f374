import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { CASE_CATEGORIES, type CaseCategory } from '@lib/account-linking/domain/case/case.events';
import { MAX_YEN_AMOUNT } from '@lib/account-linking/domain/link/link-usage';
import { PageQueryDto } from '../queries/page-query.dto';

export const CASE_STATUSES = ['open', 'awaiting_agreement', 'overdue', 'decided'] as const;

/** `POST /v1/cases` (API.md "Complaint cases"). */
export class OpenCaseRequestDto {
  @ApiProperty({ example: 'lnk_3b0d…' })
  @IsString()
  @Length(1, 80)
  linkId!: string;

  @ApiProperty({ enum: CASE_CATEGORIES })
  @IsIn(CASE_CATEGORIES as CaseCategory[])
  category!: CaseCategory;

  @ApiProperty({ description: 'What the customer complains of: personal data, sealed at rest', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  summary!: string;

  @ApiPropertyOptional({ type: [String], description: 'Debits of the link the complaint is about' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^dbt_[A-Za-z0-9_-]{1,64}$/, { each: true, message: 'debitIds must be debit ids (dbt_…)' })
  debitIds?: string[];
}

export class AddCaseNoteRequestDto {
  @ApiProperty({ description: 'Shared with the other party; personal data, sealed at rest', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  text!: string;
}

export class CaseCompensationDto {
  @ApiProperty({ description: 'Integer yen', minimum: 1, maximum: MAX_YEN_AMOUNT })
  @IsInt()
  @Min(1)
  @Max(MAX_YEN_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: ['payment_app', 'bank', 'shared'] })
  @IsIn(['payment_app', 'bank', 'shared'])
  paidBy!: 'payment_app' | 'bank' | 'shared';

  @ApiPropertyOptional({ description: 'Yen the app pays when `paidBy` is `shared`', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_YEN_AMOUNT)
  appShare?: number;
}

export class CaseDecisionRequestDto {
  @ApiProperty({ enum: ['upheld', 'rejected'] })
  @IsIn(['upheld', 'rejected'])
  outcome!: 'upheld' | 'rejected';

  @ApiPropertyOptional({ type: () => CaseCompensationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CaseCompensationDto)
  compensation?: CaseCompensationDto;
}

export class CaseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: (typeof CASE_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 80)
  linkId?: string;
}

class CaseNoteResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['payment_app', 'bank', 'operator'] }) by!: string;
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Only in GET /v1/cases/{id}; null once erased' })
  text?: string | null;
}

/** A case as both parties see it: `CaseView` of the application layer, for the OpenAPI document. */
@ApiSchema({ name: 'Case' })
export class CaseResponseDto {
  @ApiProperty({ example: 'cas_…' }) id!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty() linkId!: string;
  @ApiProperty({ enum: CASE_CATEGORIES }) category!: string;
  @ApiProperty() paymentAppId!: string;
  @ApiProperty() bankCode!: string;
  @ApiProperty({ type: [String] }) debitIds!: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Only in single-case answers' })
  summary?: string | null;
  @ApiProperty({ enum: ['payment_app', 'bank'] }) openedBy!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ description: 'Japanese business days after opening (deployment setting, 5)' }) respondBy!: string;
  @ApiPropertyOptional() overdueAt?: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [CaseNoteResponseDto] }) notes!: CaseNoteResponseDto[];
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'A decision awaiting the other party (outcome, compensation, proposedBy, proposedAt)',
  })
  proposal!: object | null;
  @ApiProperty({ nullable: true, type: Object, description: 'outcome, compensation, decidedBy, agreedBy, decidedAt' })
  decision!: object | null;
}

export class CasePageResponseDto {
  @ApiProperty({ type: [CaseResponseDto] }) items!: CaseResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
