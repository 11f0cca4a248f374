import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export class ProblemFieldErrorSchema {
  @ApiProperty({ description: 'Dotted path into the request body', example: 'bankAccount.number' })
  field!: string;

  @ApiProperty({ example: 'number must be 7 digits' })
  message!: string;
}

/** RFC 9457 problem details as every error of the service is rendered (`application/problem+json`). */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details; `code` is the stable part to branch on.' })
export class ProblemDetailsSchema {
  @ApiProperty({ format: 'uri', example: 'https://kouza-link.example/problems/link_not_found' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 404 })
  status!: number;

  @ApiPropertyOptional({ example: 'No link lnk_4nJ2…' })
  detail?: string;

  @ApiProperty({
    description:
      'Stable snake_case code, e.g. weak_bank_authentication, kyc_mismatch, bank_suspended, account_locked, ' +
      'link_not_found, invalid_signature, validation_failed',
    pattern: '^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$',
    example: 'link_not_found',
  })
  code!: string;

  @ApiPropertyOptional({ type: [ProblemFieldErrorSchema], description: 'Field errors of `validation_failed`' })
  errors?: ProblemFieldErrorSchema[];
}
