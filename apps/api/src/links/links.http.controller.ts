import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestLinkCommand } from '@lib/account-linking/application/commands/request-link/request-link.command';
import { RevokeLinkCommand } from '@lib/account-linking/application/commands/revoke-link/revoke-link.command';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { WrittenCheckpoints } from '@lib/account-linking/application/queries/freshness/written-checkpoints';
import type { LinkView } from '@lib/account-linking/application/link-view';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import { GetLinkQuery } from '@lib/account-linking/application/queries/get-link/get-link.query';
import { ListLinksQuery } from '@lib/account-linking/application/queries/list-links/list-links.query';
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
import { ApiAccessToken, ApiIdempotencyKey, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiReadFreshness } from '../queries/api-read-freshness';
import { pageOf } from '../queries/page-query.dto';
import { mappingQueryErrors } from '../queries/query-problems';
import { answerFresh, minCheckpointOf, setCheckpoint } from '../queries/read-freshness';
import { LinkPageResponseDto } from './link-page.response.dto';
import { LinkViewResponseDto } from './link-view.response.dto';
import { ListLinksQueryDto } from './list-links.query.dto';
import { RequestLinkRequestDto, RevokeLinkRequestDto } from './request-link.request.dto';

/** The payment-app API of API.md: request, read and revoke the app's own links. */
@ApiTags('links')
@Controller('v1/links')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app')
export class LinksHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly writes: WrittenCheckpoints,
  ) {}

  @Post()
  @ApiOperation({
    summary: "Request a link to the app's user's bank account",
    description: 'The bank then authenticates the customer and answers with a signed webhook.',
  })
  @ApiAccessToken('links:write')
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: LinkViewResponseDto, description: 'The link, awaiting_bank_authentication' })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    415: 'Not an application/json body',
    422: 'Refused: unknown_bank, bank_suspended, account_locked, account_closed, actor_blocked, ekyc_method_not_allowed, link_already_in_progress…',
  })
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  requestLink(
    @Body() body: RequestLinkRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
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
            ...(body.device.ipAddress ? { ipAddress: body.device.ipAddress } : {}),
            ...(body.device.userAgent ? { userAgent: body.device.userAgent } : {}),
          },
          { ...metadata, deviceId: body.device.id },
        ),
      ),
    ).then((view) => this.withWriteCheckpoint(reply, principal, view));
  }

  @Get()
  @ApiOperation({
    summary: "List the app's links, newest first",
    description: 'From the links read model; `X-Checkpoint` says how fresh the answer is.',
  })
  @ApiAccessToken('links:read')
  @ApiReadFreshness()
  @ApiOkResponse({ type: LinkPageResponseDto })
  @ApiProblems({ 400: 'A bad query parameter or cursor (`validation_failed`)' })
  @Scopes('links:read')
  listLinks(
    @Query() query: ListLinksQueryDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<LinkView>> {
    return mappingQueryErrors(async () => {
      const filter = {
        ...(query.customerReference !== undefined ? { customerReference: query.customerReference } : {}),
        ...(query.status !== undefined ? { status: query.status } : {}),
      };
      const fresh = await this.queries.execute(
        new ListLinksQuery(principal.clientId, filter, pageOf(query), minCheckpointOf(request)),
      );
      return answerFresh(reply, fresh);
    });
  }

  @Get(':id')
  @ApiOperation({ summary: "Read one of the app's links" })
  @ApiAccessToken('links:read')
  @ApiReadFreshness()
  @ApiOkResponse({ type: LinkViewResponseDto })
  @ApiProblems({ 404: 'No such link of this app (`link_not_found`)' })
  @Scopes('links:read')
  getLink(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkView> {
    return mappingQueryErrors(async () => {
      this.assertLinkId(id);
      const fresh = await this.queries.execute(new GetLinkQuery(id, principal.clientId, minCheckpointOf(request)));
      return answerFresh(reply, fresh);
    });
  }

  @Post(':id/revocation')
  @ApiOperation({ summary: 'Revoke a link (the customer or the app ends it)' })
  @ApiAccessToken('links:write')
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LinkViewResponseDto, description: 'The link, revoked' })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such link of this app (`link_not_found`)',
  })
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  revoke(
    @Param('id') id: string,
    @Body() body: RevokeLinkRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() => {
      this.assertLinkId(id);
      return this.commands.execute(new RevokeLinkCommand(id, 'payment_app', body.reason, principal.clientId, metadata));
    }).then((view) => this.withWriteCheckpoint(reply, principal, view));
  }

  /** The state is the decider's (read your own write); `X-Checkpoint` lets a later read ask for it anywhere. */
  private withWriteCheckpoint(reply: FastifyReply, principal: AuthPrincipal, view: LinkView): LinkView {
    setCheckpoint(reply, this.writes.forPaymentApp(principal.clientId));
    return view;
  }

  /** A malformed id cannot name a link: the same 404 as an unknown one. */
  private assertLinkId(id: string): void {
    if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
  }
}
