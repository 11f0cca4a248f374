import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { BankRegistrationView, WebhookKeyView } from '@lib/account-linking/application/bank-registration-view';
import { isKeyValidAt } from '@lib/platform/webhooks/webhook-key';
import { BankPolicyDto } from './register-bank.request.dto';
import { WEBHOOK_KEY_KINDS } from './webhook-key.request.dto';

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

export function webhookKeyResponseOf(bankCode: string, key: WebhookKeyView, now: Date): WebhookKeyResponseDto {
  return {
    bankCode,
    keyId: key.keyId,
    kind: key.kind,
    notBefore: key.notBefore,
    notAfter: key.notAfter,
    createdAt: key.createdAt,
    validNow: isKeyValidAt(
      {
        ...(key.notBefore ? { notBefore: new Date(key.notBefore) } : {}),
        ...(key.notAfter ? { notAfter: new Date(key.notAfter) } : {}),
      },
      now,
    ),
  };
}

/** `now`: the service clock's, for each key's `validNow`. */
export function bankRegistrationResponseOf(bank: BankRegistrationView, now: Date): BankRegistrationResponseDto {
  return {
    bankCode: bank.bankCode,
    name: bank.name,
    policy: {
      customerNotifiedBy: bank.policy.customerNotifiedBy,
      coolingOffMinutes: bank.policy.coolingOffMinutes,
      customerConfirmationRequired: bank.policy.customerConfirmationRequired,
      phishingResistantFactorRequired: bank.policy.phishingResistantFactorRequired,
      ...(bank.policy.actorDefences ? { actorDefences: bank.policy.actorDefences } : {}),
      ...(bank.policy.initialLimits ? { initialLimits: bank.policy.initialLimits } : {}),
    },
    suspension: bank.suspension,
    webhookKeys: bank.webhookKeys.map((key) => webhookKeyResponseOf(bank.bankCode, key, now)),
    createdAt: bank.createdAt,
  };
}
