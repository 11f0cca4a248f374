import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class RebindingDeviceDto {
  @ApiProperty({
    description: "The payment app's id of the device the link is to be bound to",
    maxLength: 128,
    example: 'device-xyz',
  })
  @IsString()
  @Length(1, 128)
  @Matches(/\S/, { message: 'id must not be blank' })
  id!: string;
}

/** `POST /v1/links/{id}/device-rebinding` (API.md "Device binding (R9)"). */
export class RequestDeviceRebindingRequestDto {
  @ApiProperty({ type: () => RebindingDeviceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RebindingDeviceDto)
  device!: RebindingDeviceDto;
}
