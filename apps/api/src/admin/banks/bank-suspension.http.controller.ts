import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { BankSuspensionView } from '@lib/account-linking/application/bank-registration-view';
import { LiftBankSuspensionCommand } from '@lib/account-linking/application/commands/lift-bank-suspension/lift-bank-suspension.command';
import { SuspendBankCommand } from '@lib/account-linking/application/commands/suspend-bank/suspend-bank.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { JsonBodyGuard } from '../../http/json-body';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { mappingBankProblems } from './bank-problems';
import { BankSuspensionRequestDto } from './bank-suspension.request.dto';
import { operatorEventMetadata } from './operator-event-metadata';

/** Operators: the per-bank kill switch (R7, API.md "Operators"). While it is on, new links with the bank are refused. */
@ApiTags('admin')
@Controller('v1/admin/banks/:bankCode/suspension')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class BankSuspensionHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: "Pull a bank's kill switch",
    description:
      'From now on new link requests to the bank, and its pending authentications, are refused with `bank_suspended`.',
  })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ bankCode, suspended: true, reason, at }`' })
  @ApiProblems({ 400: 'No reason given (`validation_failed`)', 404: 'No such bank (`unknown_bank`)' })
  suspend(
    @Param('bankCode') bankCode: string,
    @Body() body: BankSuspensionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<BankSuspensionView> {
    const metadata = operatorEventMetadata(request, principal, this.hash, this.clock.now());
    return mappingBankProblems(() =>
      this.commands.execute(new SuspendBankCommand(bankCode, body.reason.trim(), metadata)),
    );
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: "Lift a bank's kill switch", description: 'New links with the bank may go ahead again.' })
  @ApiParam({ name: 'bankCode', description: '4-digit bank code', example: '0005' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ bankCode, suspended: false, at }`' })
  @ApiProblems({ 404: 'No such bank (`unknown_bank`)' })
  lift(
    @Param('bankCode') bankCode: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<BankSuspensionView> {
    const metadata = operatorEventMetadata(request, principal, this.hash, this.clock.now());
    return mappingBankProblems(() =>
      this.commands.execute(new LiftBankSuspensionCommand(bankCode, undefined, metadata)),
    );
  }
}
