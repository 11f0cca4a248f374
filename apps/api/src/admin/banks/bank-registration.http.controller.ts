import { Body, Controller, Get, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegisterBankCommand } from '@lib/account-linking/application/commands/register-bank/register-bank.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { GetBankRegistrationQuery } from '@lib/account-linking/application/queries/get-bank-registration/get-bank-registration.query';
import type { BankLinkPolicy } from '@lib/account-linking/domain/link/bank-link-policy';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { bankCodeParam } from './bank-code.param';
import { mappingBankProblems, unknownBank } from './bank-problems';
import { BankRegistrationResponseDto, bankRegistrationResponseOf } from './bank-registration.response.dto';
import { operatorEventMetadata } from './operator-event-metadata';
import { RegisterBankRequestDto } from './register-bank.request.dto';

/** Operators: registering a bank and its linking policy, and seeing how a bank is set up. */
@ApiTags('admin')
@Controller('v1/admin/banks/:bankCode')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class BankRegistrationHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
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
      ...(body.policy.actorDefences ? { actorDefences: body.policy.actorDefences } : {}),
      ...(body.policy.initialLimits
        ? {
            initialLimits: {
              perDebit: body.policy.initialLimits.perDebit ?? null,
              daily: body.policy.initialLimits.daily ?? null,
              days: body.policy.initialLimits.days,
            },
          }
        : {}),
    };
    const now = this.clock.now();
    const { bank, created } = await mappingBankProblems(() =>
      this.commands.execute(
        new RegisterBankCommand(
          code,
          body.name.trim(),
          policy,
          operatorEventMetadata(request, operator, this.hash, now),
        ),
      ),
    );
    reply.status(created ? 201 : 200);
    return bankRegistrationResponseOf(bank, now);
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
  async show(@Param('bankCode') bankCode: string): Promise<BankRegistrationResponseDto> {
    const code = bankCodeParam(bankCode);
    const bank = await this.queries.execute(new GetBankRegistrationQuery(code));
    if (!bank) throw unknownBank(code);
    return bankRegistrationResponseOf(bank, this.clock.now());
  }
}
