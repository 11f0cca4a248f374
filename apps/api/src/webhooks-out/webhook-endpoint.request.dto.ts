import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '@lib/account-linking/domain/webhook-endpoint/webhook-event-types';
import { IsTimestamp } from '../links/request-link.request.dto';
import { PageQueryDto } from '../queries/page-query.dto';

/** `POST /v1/webhook-endpoints`. */
export class RegisterWebhookEndpointRequestDto {
  @ApiProperty({
    description: 'Where events are POSTed: https, on a public address',
    example: 'https://app.example/hooks',
  })
  @IsString()
  @Length(8, 2048)
  url!: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    enumName: 'WebhookEventType',
    isArray: true,
    description: 'Only these types; left out or empty, every type',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 200, example: 'Production receiver' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

/** `POST /v1/webhook-endpoints/{id}/replays`. */
export class ReplayWebhookEventsRequestDto {
  @ApiProperty({ description: 'Events created at or after this instant', example: '2026-11-20T00:00:00Z' })
  @IsTimestamp()
  since!: string;

  @ApiPropertyOptional({
    description: 'And at or before this one; left out, up to now',
    example: '2026-11-21T00:00:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  until?: string;
}

/** `GET /v1/webhook-endpoints/{id}/deliveries?cursor=&limit=`. */
export class DeliveryLogQueryDto extends PageQueryDto {}

const typesOf = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value.split(',')
    : Array.isArray(value)
      ? value.flatMap((v) => String(v).split(','))
      : value;

class EventFilterDto {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous answer: only the events after it' })
  @IsOptional()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'after must be a nextCursor this service returned' })
  after?: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_TYPES,
    enumName: 'WebhookEventType',
    isArray: true,
    description: 'Only these types (repeat the parameter, or separate with commas)',
  })
  @IsOptional()
  @Transform(typesOf)
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  type?: WebhookEventType[];
}

/** `GET /v1/events?after=&type=&limit=`. */
export class ListEventsQueryDto extends IntersectionType(EventFilterDto, PageQueryDto) {}
