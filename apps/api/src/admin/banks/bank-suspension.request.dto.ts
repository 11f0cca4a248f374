import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class BankSuspensionRequestDto {
  @ApiProperty({
    description: 'Why the kill switch is pulled; kept with the operator who pulled it',
    minLength: 1,
    maxLength: 500,
    example: 'Reverse brute force seen on PIN + birth date logins',
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}
