import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class DataSubjectErasureRequestDto {
  @ApiProperty({ description: 'The payment app whose customer the subject is', example: 'sandbox-app' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[\x21-\x7E]+$/, { message: 'paymentAppId must be visible ASCII' })
  paymentAppId!: string;

  @ApiProperty({
    description: "The app's reference for its customer, as sent with its link requests",
    example: 'user-123',
  })
  @IsString()
  @Length(1, 128)
  customerReference!: string;

  @ApiProperty({
    description: 'Why the erasure is lawful (statute and request reference); recorded with the erasure',
    example: 'APPI art. 35 request REQ-2026-0042',
    minLength: 1,
    maxLength: 500,
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'legalBasis must not be blank' })
  legalBasis!: string;
}
