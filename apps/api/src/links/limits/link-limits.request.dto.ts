import { ApiSchema } from '@nestjs/swagger';
import type { DebitLimitsChange } from '@lib/account-linking/domain/link/link-limits.messages';
import { IsDebitLimitChange } from './debit-limit.validation';

/** `PUT /v1/links/{id}/limits`: lowering is in force at once, raising waits for the customer at the bank. */
@ApiSchema({ name: 'LinkLimitsChange' })
export class ChangeLinkLimitsRequestDto implements DebitLimitsChange {
  @IsDebitLimitChange('Yen per debit', 30000)
  perDebit?: number | null;

  @IsDebitLimitChange('Yen per day (Japan time)', 50000)
  daily?: number | null;

  @IsDebitLimitChange('Yen per month (Japan time)', 200000)
  monthly?: number | null;
}

/** The change as the domain takes it: only the fields the app sent (null included). */
export const limitsChangeOf = (body: DebitLimitsChange): DebitLimitsChange => ({
  ...(body.perDebit !== undefined ? { perDebit: body.perDebit } : {}),
  ...(body.daily !== undefined ? { daily: body.daily } : {}),
  ...(body.monthly !== undefined ? { monthly: body.monthly } : {}),
});
