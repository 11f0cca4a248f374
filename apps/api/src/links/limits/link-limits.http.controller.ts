import { Body, Controller, Get, HttpCode, Inject, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangeLinkLimitsCommand } from '@lib/account-linking/application/commands/change-link-limits/change-link-limits.command';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import type { LinkLimitsView } from '@lib/account-linking/application/link-view';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { WrittenCheckpoints } from '@lib/account-linking/application/queries/freshness/written-checkpoints';
import { GetLinkLimitsQuery } from '@lib/account-linking/application/queries/get-link-limits/get-link-limits.query';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { eventMetadataOf } from '../../http/event-metadata';
import { JsonBodyGuard } from '../../http/json-body';
import { mappingLinkingErrors } from '../../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { ApiReadFreshness } from '../../queries/api-read-freshness';
import { mappingQueryErrors } from '../../queries/query-problems';
import { answerFresh, minCheckpointOf, setCheckpoint } from '../../queries/read-freshness';
import { ChangeLinkLimitsRequestDto, limitsChangeOf } from './link-limits.request.dto';
import { LinkLimitsResponseDto } from './link-limits.response.dto';

/** A malformed id cannot name a link: the same 404 as an unknown one. */
const assertLinkId = (id: string): void => {
  if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
};

/** API.md "Limits (R10)": the app reads and changes its link's limits on the customer's behalf. */
@ApiTags('links')
@Controller('v1/links/:id/limits')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app')
export class LinkLimitsHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly writes: WrittenCheckpoints,
  ) {}

  @Get()
  @ApiOperation({ summary: "Read a link's limits", description: 'null means no limit.' })
  @ApiAccessToken('links:read')
  @ApiReadFreshness()
  @ApiOkResponse({ type: LinkLimitsResponseDto })
  @ApiProblems({
    404: 'No such link of this app (`link_not_found`)',
    422: 'The link has no limits: it is not active or suspended (`link_not_active`)',
  })
  @Scopes('links:read')
  getLimits(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkLimitsView> {
    return mappingQueryErrors(async () => {
      assertLinkId(id);
      const fresh = await this.queries.execute(
        new GetLinkLimitsQuery(id, principal.clientId, minCheckpointOf(request)),
      );
      return answerFresh(reply, fresh);
    });
  }

  @Put()
  @ApiOperation({
    summary: "Change a link's limits on the customer's behalf",
    description:
      'A field left out keeps its value; null removes that limit (a raise). A lowered limit is in force at once. ' +
      'Any raise puts the whole target in `pending` (its lowers in force already) until the bank reports that the ' +
      'customer confirmed it (`limits.confirmed`): whoever holds the app must not raise what the customer can lose. ' +
      'A new change replaces a pending raise; one that asks for the limits in force withdraws it. A suspended ' +
      "link's limits may only be lowered.",
  })
  @ApiAccessToken('links:write')
  @ApiOkResponse({ type: LinkLimitsResponseDto, description: 'The limits after the change' })
  @ApiProblems({
    400: 'Not a limit: a whole number of yen from 1, or null (`validation_failed`)',
    404: 'No such link of this app (`link_not_found`)',
    415: 'Not an application/json body',
    422: 'The link is not active, or is suspended and the change raises a limit (`link_not_active`)',
  })
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @Scopes('links:write')
  changeLimits(
    @Param('id') id: string,
    @Body() body: ChangeLinkLimitsRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkLimitsView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() => {
      assertLinkId(id);
      return this.commands.execute(new ChangeLinkLimitsCommand(id, principal.clientId, limitsChangeOf(body), metadata));
    }).then((limits) => {
      // Read your own write: a later GET waits for the read model to reach it.
      setCheckpoint(reply, this.writes.forPaymentApp(principal.clientId));
      return limits;
    });
  }
}
