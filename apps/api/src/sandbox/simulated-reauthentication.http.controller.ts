import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { linkStream } from '@lib/account-linking/application/link-streams';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { linkDecider } from '@lib/account-linking/domain/link/link.decider';
import { SANDBOX_BANK_CODE } from '@lib/account-linking/infrastructure/sandbox/sandbox-bank';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { mappingLinkingErrors } from '../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { SANDBOX_WEBHOOK_SENT_SCHEMA, SandboxBankWebhooks } from './sandbox-bank-webhooks';

export const REAUTHENTICATION_SCENARIOS = ['success', 'pin_only'] as const;
type ReauthenticationScenario = (typeof REAUTHENTICATION_SCENARIOS)[number];

const METHODS_OF: Record<ReauthenticationScenario, string[]> = {
  success: ['password', 'otp_app'],
  pin_only: ['pin', 'birth_date'],
};

export class SimulatedReauthenticationDto {
  @ApiProperty({ pattern: LINK_ID_PATTERN.source, example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  @Matches(LINK_ID_PATTERN, { message: 'linkId must be a link id (lnk_…)' })
  linkId!: string;

  @ApiProperty({ description: 'The device the app asked to bind the link to', maxLength: 128, example: 'device-xyz' })
  @IsString()
  @Length(1, 128)
  @Matches(/\S/, { message: 'deviceId must not be blank' })
  deviceId!: string;

  @ApiProperty({
    enum: REAUTHENTICATION_SCENARIOS,
    description:
      'success: password + app OTP, the link is bound to the device; pin_only: PIN + birth date, knowledge only, ' +
      'so the re-binding is refused and the link stays bound to its device',
  })
  @IsIn(REAUTHENTICATION_SCENARIOS)
  scenario!: ReauthenticationScenario;
}

/**
 * Sandbox Bank (9900) re-authenticates the customer of a link for a re-binding (R9): it sends the signed
 * `device.reauthenticated` a real bank would, through the service's public webhook endpoint.
 */
@ApiTags('sandbox')
@Controller('v1/sandbox/banks/9900/reauthentications')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'operator')
export class SimulatedReauthenticationHttpController {
  constructor(
    private readonly bank: SandboxBankWebhooks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Sandbox Bank re-authenticates the customer of a link for a new device and sends its signed webhook',
    description:
      'The webhook `device.reauthenticated` goes through the public endpoint POST /v1/banks/9900/events, as a real ' +
      'bank’s would; its answer (204, or a problem such as 409 `device_rebinding_not_pending`) is returned.',
  })
  @ApiAccessToken()
  @ApiOkResponse({
    description: 'What was sent and how the webhook endpoint answered',
    schema: {
      type: 'object',
      properties: {
        scenario: { type: 'string', enum: [...REAUTHENTICATION_SCENARIOS] },
        ...SANDBOX_WEBHOOK_SENT_SCHEMA,
      },
    },
  })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such link at Sandbox Bank (`link_not_found`)',
  })
  @HttpCode(200)
  simulate(@Body() body: SimulatedReauthenticationDto) {
    return mappingLinkingErrors(async () => {
      const { state } = await aggregateStream(this.store, linkStream(body.linkId), linkDecider);
      if (state.status === 'none' || state.link.bankAccount.bankCode !== SANDBOX_BANK_CODE) {
        throw new LinkingRefused('link_not_found', `No link ${body.linkId} at Sandbox Bank`);
      }
      const webhook = {
        type: 'device.reauthenticated',
        data: {
          linkId: body.linkId,
          deviceId: body.deviceId,
          methods: METHODS_OF[body.scenario],
          authenticatedAt: new Date().toISOString(),
        },
      };
      return { scenario: body.scenario, ...(await this.bank.send(webhook)) };
    });
  }
}
