import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { LinkLimitsView } from '@lib/account-linking/application/link-view';

const yen = (description: string) =>
  ApiProperty({ type: 'integer', nullable: true, description: `${description}; null: no limit`, example: 30000 });

@ApiSchema({ name: 'DebitLimits' })
export class DebitLimitsSchema {
  @yen('Yen per debit')
  perDebit!: number | null;

  @yen('Yen per day (Japan time)')
  daily!: number | null;

  @yen('Yen per month (Japan time)')
  monthly!: number | null;
}

@ApiSchema({ name: 'InitialDebitLimits' })
class InitialDebitLimitsSchema {
  @yen('Yen per debit during the initial period')
  perDebit!: number | null;

  @yen('Yen per day during the initial period')
  daily!: number | null;
}

/** API.md "Limits (R10)": the limits in force, a raise awaiting the customer's confirmation, the initial period. */
@ApiSchema({ name: 'LinkLimits' })
export class LinkLimitsResponseDto extends DebitLimitsSchema implements LinkLimitsView {
  @ApiPropertyOptional({
    type: DebitLimitsSchema,
    description:
      "A raise the app asked for: the whole target, in force once the bank reports the customer's confirmation",
  })
  pending?: DebitLimitsSchema;

  @ApiPropertyOptional({
    format: 'date-time',
    description: "Until then the bank's initial limits (its policy's `initialLimits`) apply too: the lower one counts",
  })
  initialPeriodUntil?: string;

  @ApiPropertyOptional({ type: InitialDebitLimitsSchema, description: 'The initial limits, with initialPeriodUntil' })
  initialLimits?: InitialDebitLimitsSchema;
}
