import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LiftBankSuspensionCommand } from '@lib/account-linking/application/commands/lift-bank-suspension/lift-bank-suspension.command';
import type { BankSuspensionView } from '@lib/account-linking/application/commands/suspend-bank/bank-kill-switch-stream';
import { SuspendBankCommand } from '@lib/account-linking/application/commands/suspend-bank/suspend-bank.command';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { eventMetadataOf } from '../../http/event-metadata';
import { JsonBodyGuard } from '../../http/json-body';
import { mappingLinkingErrors } from '../../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { BankSuspensionRequestDto } from './bank-suspension.request.dto';

/** An unknown bank is a missing resource here, not a refused request. */
async function mappingUnknownBank<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LinkingRefused && error.code === 'unknown_bank') {
      throw new ProblemException({ status: 404, code: 'unknown_bank', detail: error.detail });
    }
    throw error;
  }
}

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
    const metadata = eventMetadataOf(request, { type: 'operator', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() =>
      mappingUnknownBank(() => this.commands.execute(new SuspendBankCommand(bankCode, body.reason.trim(), metadata))),
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
    const metadata = eventMetadataOf(request, { type: 'operator', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() =>
      mappingUnknownBank(() => this.commands.execute(new LiftBankSuspensionCommand(bankCode, undefined, metadata))),
    );
  }
}
