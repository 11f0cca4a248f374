import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestDeviceRebindingCommand } from '@lib/account-linking/application/commands/request-device-rebinding/request-device-rebinding.command';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import type { LinkView } from '@lib/account-linking/application/link-view';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { WrittenCheckpoints } from '@lib/account-linking/application/queries/freshness/written-checkpoints';
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
import { setCheckpoint } from '../queries/read-freshness';
import { RequestDeviceRebindingRequestDto } from './device-rebinding.request.dto';
import { LinkViewResponseDto } from './link-view.response.dto';

/** R9: the payment app asks to bind one of its active links to another device of its user. */
@ApiTags('links')
@Controller('v1/links/:id/device-rebinding')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app')
export class DeviceRebindingHttpController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly writes: WrittenCheckpoints,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Ask for an active link to be bound to another device (R9)',
    description:
      'The bank then re-authenticates the customer and answers with the signed webhook `device.reauthenticated` ' +
      '(judged by the same strength rules as the first authentication; knowledge-only is refused). Until then the ' +
      'link stays bound to its device and shows the request in `rebinding`; afterwards `boundDeviceId` is the new ' +
      'device, the customer is told at the contact registered at the bank, and `link.device_rebound` is sent. ' +
      'Asking again for the device already pending changes nothing; asking for another device replaces the request.',
  })
  @ApiAccessToken('links:write')
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LinkViewResponseDto, description: 'The link, still bound to its device, with `rebinding`' })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such link of this app (`link_not_found`)',
    409: 'The link is bound to this device already (`device_already_bound`)',
    415: 'Not an application/json body',
    422: 'The link is not active (`link_not_active`), or its bank is suspended (`bank_suspended`)',
  })
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  requestDeviceRebinding(
    @Param('id') id: string,
    @Body() body: RequestDeviceRebindingRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() => {
      // A malformed id cannot name a link: the same 404 as an unknown one.
      if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
      return this.commands.execute(new RequestDeviceRebindingCommand(id, body.device.id, principal.clientId, metadata));
    }).then((view) => {
      setCheckpoint(reply, this.writes.forPaymentApp(principal.clientId));
      return view;
    });
  }
}
