import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { LinkView } from '@lib/account-linking/application/link-view';
import { LinkLimitsResponseDto } from './limits/link-limits.response.dto';

// A record, so that a status added to the domain and not listed here fails the type check.
const LINK_STATUS_DOCS: Readonly<Record<LinkView['status'], true>> = {
  awaiting_bank_authentication: true,
  notifying_customer: true,
  cooling_off: true,
  awaiting_customer_confirmation: true,
  active: true,
  suspended: true,
  revoked: true,
  rejected: true,
  expired: true,
};

/** Every status a link can have (API.md "Payment apps"). */
export const LINK_STATUSES = Object.keys(LINK_STATUS_DOCS) as LinkView['status'][];

class LinkCustomerSchema {
  @ApiProperty({ description: "The payment app's own reference for its user", example: 'user-123' })
  reference!: string;
}

class LinkBankAccountSchema {
  @ApiProperty({ example: '0001', pattern: '^\\d{4}$' })
  bankCode!: string;

  @ApiProperty({ example: '001', pattern: '^\\d{3}$' })
  branchCode!: string;

  @ApiProperty({ enum: ['ordinary', 'current', 'savings'], example: 'ordinary' })
  type!: string;

  @ApiProperty({ description: 'The last four digits; the full account number is never returned', example: '4567' })
  last4!: string;
}

class LinkDeviceSchema {
  @ApiProperty({ example: 'device-abc' })
  id!: string;
}

class LinkRebindingSchema {
  @ApiProperty({ description: 'The device the app asked to bind the link to', example: 'device-xyz' })
  deviceId!: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;
}

class ActorSignalSchema {
  @ApiProperty({ description: 'Distinct bank accounts this actor tried in the last 24 hours (requests let through)' })
  accountsTried24h!: number;

  @ApiProperty({ description: 'Distinct bank accounts this actor tried in the last 30 days' })
  accountsTried30d!: number;

  @ApiProperty({ description: 'Whether this actor was ever blocked by the actor defences or a fraud rule' })
  everBlocked!: boolean;
}

class LinkSignalsSchema {
  @ApiProperty({ type: ActorSignalSchema, description: "The link's device (payment app + device id)" })
  device!: ActorSignalSchema;

  @ApiProperty({ type: ActorSignalSchema, description: "The app's customer (payment app + customer reference)" })
  customer!: ActorSignalSchema;
}

/** The link as payment apps see it: `LinkView` of the application layer, for the OpenAPI document. */
@ApiSchema({ name: 'Link' })
export class LinkViewResponseDto implements LinkView {
  @ApiProperty({ description: 'Opaque, unguessable link id', example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  id!: string;

  @ApiProperty({ enum: LINK_STATUSES, enumName: 'LinkStatus', example: 'awaiting_bank_authentication' })
  status!: LinkView['status'];

  @ApiProperty({ type: LinkCustomerSchema })
  customer!: LinkCustomerSchema;

  @ApiProperty({ type: LinkBankAccountSchema })
  bankAccount!: LinkBankAccountSchema;

  @ApiProperty({ type: LinkDeviceSchema })
  device!: LinkDeviceSchema;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:01:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When an unanswered request expires',
    example: '2026-11-20T10:31:00.000Z',
  })
  expiresAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Set once the link is (or was) active' })
  activatedAt?: string;

  @ApiPropertyOptional({
    description: 'Active and suspended links (R9): the device debits may come from',
    example: 'device-abc',
  })
  boundDeviceId?: string;

  @ApiPropertyOptional({
    type: LinkRebindingSchema,
    description:
      'R9: a re-binding the app asked for (`POST /v1/links/{id}/device-rebinding`), until the bank re-authenticates ' +
      'the customer; `boundDeviceId` stays the old device meanwhile',
  })
  rebinding?: LinkRebindingSchema;

  @ApiPropertyOptional({ format: 'date-time', description: 'While `cooling_off`: when the link becomes active' })
  coolingOffUntil?: string;

  @ApiPropertyOptional({
    description: 'For rejected, revoked and expired links: a problem `code`',
    example: 'kyc_mismatch',
  })
  reason?: string;

  @ApiPropertyOptional({ description: 'For rejected, revoked and expired links: why, in words' })
  reasonDetail?: string;

  @ApiPropertyOptional({
    type: LinkLimitsResponseDto,
    description: 'Active and suspended links: their limits (R10), as `GET /v1/links/{id}/limits` shows them',
  })
  limits?: LinkLimitsResponseDto;

  @ApiPropertyOptional({
    type: LinkSignalsSchema,
    description:
      'On reads (GET of a link and the lists, for apps and banks): what the actor defences know of the ' +
      "link's device and customer, from the actors' read model (a moment behind the log). Not on the POST answer.",
  })
  signals?: LinkSignalsSchema;
}
