import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BankLinksSuspensionCommand } from '@lib/account-linking/application/commands/bank-links-suspension/bank-links-suspension.command';
import { DriveLinkCommand } from '@lib/account-linking/application/commands/drive-link/drive-link.command';
import { RevokeLinkCommand } from '@lib/account-linking/application/commands/revoke-link/revoke-link.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import type { LinkView } from '@lib/account-linking/application/link-view';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import { eventMetadataOf } from '../../http/event-metadata';
import { JsonBodyGuard } from '../../http/json-body';
import { mappingLinkingErrors } from '../../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { BankSuspensionRequestDto } from '../banks/bank-suspension.request.dto';

/** Operators acting on links (R6, R7): revoke or suspend one link, or suspend and reinstate a bank's links in bulk. */
@ApiTags('admin')
@Controller('v1/admin')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class AdminLinksHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('links/:id/revocation')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: 'Revoke a link as an operator', description: 'Recorded with the operator and the reason.' })
  @ApiParam({ name: 'id', example: 'lnk_…' })
  @ApiAccessToken('admin')
  @ApiProblems({ 404: 'No such link (`link_not_found`)', 409: 'The link is already over' })
  revoke(
    @Param('id') id: string,
    @Body() body: BankSuspensionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LinkView> {
    return mappingLinkingErrors(async () =>
      this.commands.execute(
        new RevokeLinkCommand(
          this.linkId(id),
          'operator',
          body.reason.trim(),
          undefined,
          this.metadata(request, principal),
        ),
      ),
    );
  }

  @Post('links/:id/suspension')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: 'Suspend an active link (investigation)' })
  @ApiParam({ name: 'id', example: 'lnk_…' })
  @ApiAccessToken('admin')
  @ApiProblems({ 404: 'No such link (`link_not_found`)', 409: 'The link is not active' })
  suspend(
    @Param('id') id: string,
    @Body() body: BankSuspensionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LinkView> {
    return this.drive(id, 'Suspend', body.reason.trim(), request, principal);
  }

  @Delete('links/:id/suspension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a suspended link' })
  @ApiParam({ name: 'id', example: 'lnk_…' })
  @ApiAccessToken('admin')
  @ApiProblems({ 404: 'No such link (`link_not_found`)', 409: 'The link is not suspended' })
  reinstate(@Param('id') id: string, @Principal() principal: AuthPrincipal, @Req() request: FastifyRequest) {
    return this.drive(id, 'Reinstate', 'reinstated by an operator', request, principal);
  }

  @Post('banks/:bankCode/links/suspension')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Suspend every active link of a bank (R7 kill switch, existing links)',
    description: 'Each link decides for itself; links that left `active` meanwhile are listed under `refused`.',
  })
  @ApiParam({ name: 'bankCode', example: '0005' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ bankCode, changed, refused: [{ linkId, code }] }`' })
  @ApiProblems({ 400: 'No reason given (`validation_failed`)' })
  suspendBankLinks(
    @Param('bankCode') bankCode: string,
    @Body() body: BankSuspensionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ) {
    return this.bulk(bankCode, 'suspend', body.reason.trim(), request, principal);
  }

  @Delete('banks/:bankCode/links/suspension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate every suspended link of a bank' })
  @ApiParam({ name: 'bankCode', example: '0005' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ bankCode, changed, refused: [{ linkId, code }] }`' })
  reinstateBankLinks(
    @Param('bankCode') bankCode: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ) {
    return this.bulk(bankCode, 'reinstate', 'reinstated by an operator', request, principal);
  }

  private drive(
    id: string,
    type: 'Suspend' | 'Reinstate',
    reason: string,
    request: FastifyRequest,
    principal: AuthPrincipal,
  ) {
    return mappingLinkingErrors(async () => {
      const now = this.clock.now().toISOString();
      return this.commands.execute(
        new DriveLinkCommand(
          this.linkId(id),
          { type, data: { now, by: 'operator', reason } },
          this.metadata(request, principal),
        ),
      );
    });
  }

  private bulk(
    bankCode: string,
    action: 'suspend' | 'reinstate',
    reason: string,
    request: FastifyRequest,
    principal: AuthPrincipal,
  ) {
    return mappingLinkingErrors(async () => {
      if (!/^\d{4}$/.test(bankCode)) throw new LinkingRefused('unknown_bank', `No bank with code ${bankCode}`);
      return this.commands.execute(
        new BankLinksSuspensionCommand(bankCode, action, reason, this.metadata(request, principal)),
      );
    });
  }

  private linkId(id: string): string {
    if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
    return id;
  }

  private metadata(request: FastifyRequest, principal: AuthPrincipal): EventMetadata {
    return eventMetadataOf(
      request,
      { type: 'operator', id: principal.clientId },
      (ip) => this.hash.sourceAddressHash(ip),
      {
        occurredAt: this.clock.now().toISOString(),
      },
    );
  }
}
