import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { openAppEkyc } from '@lib/account-linking/application/app-ekyc';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { linkStream } from '@lib/account-linking/application/link-streams';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from '@lib/account-linking/application/ports/personal-data-vault.port';
import type { KycAttributes } from '@lib/account-linking/domain/kyc/kyc-attributes';
import { linkDecider } from '@lib/account-linking/domain/link/link.decider';
import { SANDBOX_BANK_CODE } from '@lib/account-linking/infrastructure/sandbox/sandbox-bank';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { mappingLinkingErrors } from '../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { SANDBOX_WEBHOOK_SENT_SCHEMA, SandboxBankWebhooks } from './sandbox-bank-webhooks';
import { toZenginKana } from './zengin-kana';

export const SANDBOX_SCENARIOS = ['success', 'pin_only', 'kyc_mismatch', 'failure'] as const;
type Scenario = (typeof SANDBOX_SCENARIOS)[number];

export class SimulatedAuthenticationDto {
  @ApiProperty({ pattern: LINK_ID_PATTERN.source, example: 'lnk_4nJ2kQ8xVb3Lr0pTz9Wc1A' })
  @Matches(LINK_ID_PATTERN, { message: 'linkId must be a link id (lnk_…)' })
  linkId!: string;

  @ApiProperty({
    enum: SANDBOX_SCENARIOS,
    description:
      'success: password + SMS OTP, the holder as the app reported; pin_only: too weak; ' +
      'kyc_mismatch: someone else holds the account; failure: the customer failed to authenticate',
  })
  @IsIn(SANDBOX_SCENARIOS)
  scenario!: Scenario;
}

/**
 * Sandbox Bank (9900) as a simulator: for a scenario it builds the webhook a real bank would send, signs it
 * with the bank's own key and delivers it through the service's public webhook endpoint.
 */
@ApiTags('sandbox')
@Controller('v1/sandbox/banks/9900/authentications')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'operator')
export class SimulatedBankHttpController {
  constructor(
    private readonly bank: SandboxBankWebhooks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Sandbox Bank authenticates the customer of a link and sends its signed webhook',
    description: 'The webhook goes through the public endpoint POST /v1/banks/9900/events, as a real bank’s would.',
  })
  @ApiAccessToken()
  @ApiOkResponse({
    description: 'What was sent and how the webhook endpoint answered',
    schema: {
      type: 'object',
      properties: {
        scenario: { type: 'string', enum: [...SANDBOX_SCENARIOS] },
        ...SANDBOX_WEBHOOK_SENT_SCHEMA,
      },
    },
  })
  @ApiProblems({ 404: 'No such link at Sandbox Bank (`link_not_found`)' })
  @HttpCode(200)
  simulate(@Body() body: SimulatedAuthenticationDto) {
    return mappingLinkingErrors(async () => {
      const webhook = { type: 'authentication.failed', data: {} as Record<string, unknown> };
      if (body.scenario === 'failure') {
        webhook.data = { linkId: body.linkId, reason: 'the customer entered a wrong password three times' };
      } else {
        const holder = await this.holderOf(body.linkId, body.scenario);
        webhook.type = 'authentication.succeeded';
        webhook.data = {
          linkId: body.linkId,
          methods: body.scenario === 'pin_only' ? ['pin', 'birth_date'] : ['password', 'otp_sms'],
          holder,
          contact: { email: `customer-${body.linkId.slice(4, 12).toLowerCase()}@sandbox-bank.example` },
          authenticatedAt: new Date().toISOString(),
        };
      }
      return { scenario: body.scenario, ...(await this.bank.send(webhook)) };
    });
  }

  /** What Sandbox Bank "holds": the app's own eKYC in Zengin kana (half-width), or someone else's for a mismatch. */
  private async holderOf(linkId: string, scenario: Scenario): Promise<KycAttributes> {
    const { state } = await aggregateStream(this.store, linkStream(linkId), linkDecider);
    if (state.status === 'none' || state.link.bankAccount.bankCode !== SANDBOX_BANK_CODE) {
      throw new LinkingRefused('link_not_found', `No link ${linkId} at Sandbox Bank`);
    }
    if (scenario === 'kyc_mismatch') {
      return { name: { kanji: '佐藤 一郎', kana: 'ｻﾄｳ ｲﾁﾛｳ' }, birthDate: '1970-07-07', phone: '0312345678' };
    }
    const ekyc = await openAppEkyc(this.store, this.vault, linkId);
    if (!ekyc) {
      throw new ProblemException({
        status: 422,
        code: 'sandbox_no_ekyc',
        detail: 'This link carries no eKYC attributes for Sandbox Bank to hold',
      });
    }
    return { ...ekyc, name: { ...ekyc.name, ...(ekyc.name.kana ? { kana: toZenginKana(ekyc.name.kana) } : {}) } };
  }
}
