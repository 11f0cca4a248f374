import { Body, Controller, Get, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import { SqlBankRegistry } from '@lib/account-linking/infrastructure/banks/sql-bank-registry';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { AdminAudit } from '../admin-audit';
import { bankCodeParam } from './bank-code.param';
import { BankRegistrationResponseDto, bankRegistrationResponseOf } from './bank-registration.response.dto';
import { RegisterBankRequestDto } from './register-bank.request.dto';

export const unknownBank = (bankCode: string) =>
  new ProblemException({ status: 404, code: 'unknown_bank', detail: `No bank with code ${bankCode} is registered` });

const samePolicy = (a: BankLinkPolicy, b: BankLinkPolicy) =>
  a.customerNotifiedBy === b.customerNotifiedBy &&
  a.coolingOffMinutes === b.coolingOffMinutes &&
  a.customerConfirmationRequired === b.customerConfirmationRequired &&
  a.phishingResistantFactorRequired === b.phishingResistantFactorRequired;

/** Operators: registering a bank and its linking policy, and seeing how a bank is set up. */
@ApiTags('admin')
@Controller('v1/admin/banks/:bankCode')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class BankRegistrationHttpController {
  constructor(
    @Inject(SqlBankRegistry) private readonly banks: SqlBankRegistry,
    private readonly audit: AdminAudit,
  ) {}

  @Put()
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Register a bank, or replace its name and linking policy',
    description:
      'The policy applies to link requests made from now on. Its kill switch and webhook keys are kept; ' +
      'add keys at `POST /v1/admin/banks/{bankCode}/webhook-keys`.',
  })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiAccessToken('admin')
  @ApiCreatedResponse({ type: BankRegistrationResponseDto, description: 'The bank was registered' })
  @ApiOkResponse({ type: BankRegistrationResponseDto, description: 'The bank was updated (or was already so)' })
  @ApiProblems({ 400: 'A malformed bank code, name or policy (`validation_failed`)' })
  async register(
    @Param('bankCode') bankCode: string,
    @Body() body: RegisterBankRequestDto,
    @Principal() operator: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BankRegistrationResponseDto> {
    const code = bankCodeParam(bankCode);
    const policy: BankLinkPolicy = {
      customerNotifiedBy: body.policy.customerNotifiedBy,
      coolingOffMinutes: body.policy.coolingOffMinutes,
      customerConfirmationRequired: body.policy.customerConfirmationRequired,
      phishingResistantFactorRequired: body.policy.phishingResistantFactorRequired,
    };
    const name = body.name.trim();
    const before = await this.banks.registration(code);
    if (!before) {
      await this.audit.record(
        { type: 'BankRegistered', data: { bankCode: code, name, policy } },
        this.audit.metadataOf(request, operator),
      );
    } else if (before.name !== name || !samePolicy(before.policy, policy)) {
      await this.audit.record(
        {
          type: 'BankUpdated',
          data: { bankCode: code, name, policy, previous: { name: before.name, policy: before.policy } },
        },
        this.audit.metadataOf(request, operator),
      );
    }
    await this.banks.upsertBank({ code, name, policy });
    reply.status(before ? 200 : 201);
    return this.view(code);
  }

  @Get()
  @ApiOperation({
    summary: "A bank's name, policy, kill switch and webhook keys",
    description: 'Keys are listed by id, kind and validity; their material is never returned.',
  })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: BankRegistrationResponseDto })
  @ApiProblems({ 400: 'A malformed bank code (`validation_failed`)', 404: 'No such bank (`unknown_bank`)' })
  show(@Param('bankCode') bankCode: string): Promise<BankRegistrationResponseDto> {
    return this.view(bankCodeParam(bankCode));
  }

  private async view(bankCode: string): Promise<BankRegistrationResponseDto> {
    const bank = await this.banks.registration(bankCode);
    if (!bank) throw unknownBank(bankCode);
    return bankRegistrationResponseOf(bank, await this.banks.webhookKeyValidity(bankCode));
  }
}
