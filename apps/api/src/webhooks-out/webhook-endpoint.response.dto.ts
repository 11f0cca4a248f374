import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from '@lib/account-linking/domain/webhook-endpoint/webhook-event-types';

@ApiSchema({ name: 'WebhookEndpoint' })
export class WebhookEndpointResponseDto {
  @ApiProperty({ example: 'whe_3kTq9ZxW2pLm0cVb8nRy1A' })
  id!: string;

  @ApiProperty({ example: 'https://app.example/hooks' })
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    enumName: 'WebhookEventType',
    isArray: true,
    description: 'Empty: every type',
  })
  eventTypes!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({
    enum: ['enabled', 'disabled'],
    description: '`disabled` once every delivery failed for 5 days (an event on the endpoint)',
  })
  status!: 'enabled' | 'disabled';

  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'When it was disabled' })
  disabledAt!: string | null;
}

@ApiSchema({ name: 'CreatedWebhookEndpoint' })
export class CreatedWebhookEndpointResponseDto extends WebhookEndpointResponseDto {
  @ApiProperty({
    description: 'The signing secret (Standard Webhooks `whsec_<base64>`), shown in this answer only',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

@ApiSchema({ name: 'WebhookEndpointList' })
export class WebhookEndpointListResponseDto {
  @ApiProperty({ type: [WebhookEndpointResponseDto] })
  items!: WebhookEndpointResponseDto[];
}

@ApiSchema({ name: 'WebhookSecretRotation' })
export class SecretRotationResponseDto {
  @ApiProperty({
    description: 'The new secret, shown once; for 24 h deliveries carry a signature with each of the two',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

@ApiSchema({ name: 'WebhookDeliveryAttempt' })
export class DeliveryAttemptResponseDto {
  @ApiProperty({ example: 'evt_9r8GKYqrTwjUPD8ILPZIo2LaLaS' })
  eventId!: string;

  @ApiProperty({ description: '1 for the first try of a delivery; a replay starts again at 1', example: 1 })
  attempt!: number;

  @ApiProperty({ enum: ['succeeded', 'failed'] })
  status!: 'succeeded' | 'failed';

  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The receiver's HTTP status; null when none came",
    example: 200,
  })
  responseCode!: number | null;

  @ApiProperty({ example: 42 })
  durationMs!: number;

  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  at!: string;
}

@ApiSchema({ name: 'WebhookDeliveryPage' })
export class DeliveryPageResponseDto {
  @ApiProperty({ type: [DeliveryAttemptResponseDto], description: 'Newest first' })
  items!: DeliveryAttemptResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for older attempts; null on the last page',
  })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'WebhookEvent' })
export class WebhookEventResponseDto {
  @ApiProperty({
    description: 'Stable: the `webhook-id` of every delivery of it',
    example: 'evt_9r8GKYqrTwjUPD8ILPZIo2LaLaS',
  })
  id!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', example: 'link.activated' })
  type!: string;

  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    type: Object,
    description:
      "`link.*`: the link view as the API shows it (an app's `GET /v1/links/{id}`; a bank's view of its link). " +
      '`actor.*` (to the payment app whose actor it is): the block as `GET /v1/admin/actor-blocks` shows it, ' +
      '`{ id, actor: { kind, paymentAppId, key }, blockedAt, until, reason, accountsTried }`, with `liftedAt` and ' +
      '`liftReason` once lifted; an address is known only by its keyed hash. ' +
      '`debit.*` (to the app of the link and the bank of its account): the debit as `GET /v1/links/{id}/debits` ' +
      'shows it right after the event (`debit.authorised`, `debit.refused`, `debit.settled`, `debit.failed`, and ' +
      '`debit.expired` for an authorisation the bank never reported)',
  })
  data!: unknown;
}

@ApiSchema({ name: 'WebhookEventPage' })
export class WebhookEventPageResponseDto {
  @ApiProperty({ type: [WebhookEventResponseDto], description: 'Oldest first' })
  items!: WebhookEventResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` to get what came since; the same cursor again when nothing new came',
  })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'WebhookReplay' })
export class ReplayResponseDto {
  @ApiProperty({ example: 'rpl_0f5c1b0e-…' })
  replayId!: string;

  @ApiProperty({ description: 'Deliveries queued (one per event of the window the endpoint takes)', example: 3 })
  deliveries!: number;
}
