import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsObject } from 'class-validator';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { DATA_CLASS_BY_TYPE } from '../banks/bank-event.request.dto';
import { ApiAccessToken } from '../openapi/api-docs.decorators';
import { SANDBOX_WEBHOOK_SENT_SCHEMA, SandboxBankWebhooks } from './sandbox-bank-webhooks';

/** Every bank webhook type of the contract (API.md "Banks (webhooks in)" and the sections that add types). */
export const BANK_WEBHOOK_TYPES = Object.keys(DATA_CLASS_BY_TYPE) as (keyof typeof DATA_CLASS_BY_TYPE)[];

export class SandboxBankWebhookDto {
  @ApiProperty({ enum: BANK_WEBHOOK_TYPES, example: 'fraud.reported' })
  @IsIn(BANK_WEBHOOK_TYPES)
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data, as a bank sends it; the public endpoint validates it",
    example: { linkId: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A', reason: 'the customer reports an unknown link' },
  })
  @IsObject()
  data!: Record<string, unknown>;
}

/** Sandbox Bank (9900) signs and sends any bank webhook of the contract, so that every flow can be walked. */
@ApiTags('sandbox')
@Controller('v1/sandbox/banks/9900/webhooks')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'operator')
export class SandboxBankWebhooksHttpController {
  constructor(private readonly bank: SandboxBankWebhooks) {}

  @Post()
  @ApiOperation({
    summary: 'Sandbox Bank signs and sends a bank webhook of any type',
    description:
      'The webhook goes through the public endpoint POST /v1/banks/9900/events with a fresh webhook-id, as a real ' +
      'bank’s would; its answer (204, or a problem such as 400 or 409) is returned in `webhook.status` and `problem`.',
  })
  @ApiAccessToken()
  @ApiOkResponse({
    description: 'What was sent and how the webhook endpoint answered',
    schema: { type: 'object', properties: SANDBOX_WEBHOOK_SENT_SCHEMA },
  })
  @HttpCode(200)
  send(@Body() body: SandboxBankWebhookDto) {
    return this.bank.send({ type: body.type, data: body.data });
  }
}
