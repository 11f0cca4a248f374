import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { isKeyValidAt } from '@lib/platform/webhooks/webhook-key';
import type {
  BankRegistration,
  WebhookKeyValidityView,
} from '@lib/account-linking/infrastructure/banks/sql-bank-registry';
import { BankPolicyDto } from './register-bank.request.dto';
import { WEBHOOK_KEY_KINDS } from './webhook-key.request.dto';

const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

class BankSuspensionStateDto {
  @ApiProperty({ description: 'The kill switch (R7) is on' })
  suspended!: boolean;

  @ApiPropertyOptional({ description: 'Why, as the operator who pulled it said' })
  reason?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  since?: string;
}

/** One of a bank's webhook keys: its id, kind and validity. Key material never leaves the service. */
@ApiSchema({ name: 'BankWebhookKey' })
export class WebhookKeyResponseDto {
  @ApiProperty({ example: '0005' })
  bankCode!: string;

  @ApiProperty({ example: 'hmac-2026-11' })
  keyId!: string;

  @ApiProperty({ enum: WEBHOOK_KEY_KINDS })
  kind!: 'hmac' | 'ed25519';

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  notBefore!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  notAfter!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'The key verifies signatures now' })
  validNow!: boolean;

  @ApiPropertyOptional({
    description: 'The generated `whsec_…` secret: in the 201 answer only, when none was given; never shown again',
  })
  secret?: string;
}

/** A bank as operators see it (`GET /v1/admin/banks/{bankCode}`). */
@ApiSchema({ name: 'BankRegistration' })
export class BankRegistrationResponseDto {
  @ApiProperty({ example: '0005' })
  bankCode!: string;

  @ApiProperty({ example: 'みずほ銀行' })
  name!: string;

  @ApiProperty({ type: () => BankPolicyDto })
  policy!: BankPolicyDto;

  @ApiProperty({ type: () => BankSuspensionStateDto })
  suspension!: BankSuspensionStateDto;

  @ApiProperty({ type: () => [WebhookKeyResponseDto], description: 'Oldest first; ids and validity only' })
  webhookKeys!: WebhookKeyResponseDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export function webhookKeyResponseOf(bankCode: string, key: WebhookKeyValidityView, now: Date): WebhookKeyResponseDto {
  return {
    bankCode,
    keyId: key.keyId,
    kind: key.kind,
    notBefore: isoOrNull(key.notBefore),
    notAfter: isoOrNull(key.notAfter),
    createdAt: key.createdAt.toISOString(),
    validNow: isKeyValidAt(
      { ...(key.notBefore ? { notBefore: key.notBefore } : {}), ...(key.notAfter ? { notAfter: key.notAfter } : {}) },
      now,
    ),
  };
}

export function bankRegistrationResponseOf(
  bank: BankRegistration,
  keys: readonly WebhookKeyValidityView[],
  now = new Date(),
): BankRegistrationResponseDto {
  return {
    bankCode: bank.code,
    name: bank.name,
    policy: {
      customerNotifiedBy: bank.policy.customerNotifiedBy,
      coolingOffMinutes: bank.policy.coolingOffMinutes,
      customerConfirmationRequired: bank.policy.customerConfirmationRequired,
      phishingResistantFactorRequired: bank.policy.phishingResistantFactorRequired,
    },
    suspension: bank.suspendedAt
      ? {
          suspended: true,
          ...(bank.suspensionReason ? { reason: bank.suspensionReason } : {}),
          since: bank.suspendedAt.toISOString(),
        }
      : { suspended: false },
    webhookKeys: keys.map((key) => webhookKeyResponseOf(bank.code, key, now)),
    createdAt: bank.createdAt.toISOString(),
  };
}
