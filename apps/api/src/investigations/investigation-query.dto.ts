import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { BankAccountDto } from '../links/request-link.request.dto';
import { PageQueryDto } from '../queries/page-query.dto';

// A date and a time with its offset: without one, the instant would depend on the server's time zone.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** `GET /v1/investigations/links/{id}/state?at=`. */
export class LinkStateAtQueryDto {
  @ApiProperty({
    format: 'date-time',
    description: 'The instant to see the link as of',
    example: '2026-11-20T10:05:00Z',
  })
  @IsISO8601({ strict: true })
  @Matches(TIMESTAMP, { message: 'at must be an ISO 8601 date-time with Z or an offset' })
  at!: string;
}

/** `GET /v1/investigations/bank-accounts?bankCode=&branchCode=&type=&number=`. */
export class BankAccountQueryDto extends BankAccountDto {}

/** `GET /v1/investigations/devices/{deviceId}/links?limit=&cursor=`. */
export class DeviceLinksQueryDto extends PageQueryDto {}

class CustomerFilterDto {
  @ApiProperty({ description: "The payment app's own reference for its user", maxLength: 128, example: 'user-123' })
  @IsString()
  @Length(1, 128)
  customerReference!: string;

  @ApiPropertyOptional({
    description: "Only this payment app's links (references are the apps' own: two may share one)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  paymentAppId?: string;
}

/** `GET /v1/investigations/customer-links?customerReference=&paymentAppId=&limit=&cursor=`. */
export class CustomerLinksQueryDto extends IntersectionType(CustomerFilterDto, PageQueryDto) {}
