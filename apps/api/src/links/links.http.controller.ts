import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { RequestLinkCommand } from '@lib/account-linking/application/commands/request-link/request-link.command';
import { RevokeLinkCommand } from '@lib/account-linking/application/commands/revoke-link/revoke-link.command';
import type { LinkView } from '@lib/account-linking/application/link-view';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { GetLinkQuery } from '@lib/account-linking/application/queries/get-link/get-link.query';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { eventMetadataOf } from '../http/event-metadata';
import { JsonBodyGuard } from '../http/json-body';
import { mappingLinkingErrors } from '../http/linking-problem';
import { RequestLinkRequestDto, RevokeLinkRequestDto } from './request-link.request.dto';

const LINK_ID = /^lnk_[A-Za-z0-9_-]{1,64}$/;

/** The payment-app API of API.md: request, read and revoke the app's own links. */
@Controller('v1/links')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app')
export class LinksHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  requestLink(
    @Body() body: RequestLinkRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LinkView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    const ekyc = body.ekyc && {
      method: body.ekyc.method,
      verifiedAt: new Date(body.ekyc.verifiedAt).toISOString(),
      attributes: {
        name: { ...body.ekyc.name },
        ...(body.ekyc.birthDate ? { birthDate: body.ekyc.birthDate } : {}),
        ...(body.ekyc.phone ? { phone: body.ekyc.phone } : {}),
        ...(body.ekyc.address ? { address: { ...body.ekyc.address } } : {}),
      },
    };
    return mappingLinkingErrors(() =>
      this.commands.execute(
        new RequestLinkCommand(
          {
            paymentAppId: principal.clientId,
            customerReference: body.customer.reference,
            ...(ekyc ? { ekyc } : {}),
            bankAccount: { ...body.bankAccount },
            deviceId: body.device.id,
          },
          { ...metadata, deviceId: body.device.id },
        ),
      ),
    );
  }

  @Get(':id')
  @Scopes('links:read')
  getLink(@Param('id') id: string, @Principal() principal: AuthPrincipal): Promise<LinkView> {
    return mappingLinkingErrors(() => {
      this.assertLinkId(id);
      return this.queries.execute(new GetLinkQuery(id, principal.clientId));
    });
  }

  @Post(':id/revocation')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  revoke(
    @Param('id') id: string,
    @Body() body: RevokeLinkRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<LinkView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() => {
      this.assertLinkId(id);
      return this.commands.execute(new RevokeLinkCommand(id, 'payment_app', body.reason, principal.clientId, metadata));
    });
  }

  /** A malformed id cannot name a link: the same 404 as an unknown one. */
  private assertLinkId(id: string): void {
    if (!LINK_ID.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
  }
}
