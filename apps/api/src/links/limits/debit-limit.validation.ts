import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_YEN_AMOUNT } from '@lib/account-linking/domain/link/link-usage';

/**
 * One limit of a change (R10): a whole number of yen from 1 to MAX_YEN_AMOUNT, `null` to remove the limit, or
 * left out to keep it. Strings, fractions, zero and negatives are `validation_failed`.
 */
export const IsDebitLimitChange = (description: string, example: number) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: 1,
      maximum: MAX_YEN_AMOUNT,
      description: `${description}; null removes the limit (a raise), left out keeps it`,
      example,
    }),
    IsOptional(),
    IsInt({ message: '$property must be a whole number of yen, or null' }),
    Min(1),
    Max(MAX_YEN_AMOUNT),
  );
