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
import { AuthoriseDebitCommand } from '@lib/account-linking/application/commands/authorise-debit/authorise-debit.command';
import type { DebitView } from '@lib/account-linking/application/debits/debit-view';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import { ListLinkDebitsQuery } from '@lib/account-linking/application/queries/debits/debit.queries';
import { WrittenCheckpoints } from '@lib/account-linking/application/queries/freshness/written-checkpoints';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyFrom } from '@lib/platform/idempotency/idempotency-key';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { ProblemException } from '@lib/platform/problem/problem.exception';
import { eventMetadataOf } from '../http/event-metadata';
import { JsonBodyGuard } from '../http/json-body';
import { mappingLinkingErrors } from '../http/linking-problem';
import { ApiAccessToken, ApiIdempotencyKey, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiReadFreshness } from '../queries/api-read-freshness';
import { PageQueryDto, pageOf } from '../queries/page-query.dto';
import { mappingQueryErrors } from '../queries/query-problems';
import { answerFresh, minCheckpointOf, setCheckpoint } from '../queries/read-freshness';
import { AuthoriseDebitRequestDto, DebitPageResponseDto, DebitResponseDto } from './debit.dto';

/** API.md "Debits": the app asks before each debit; every answer, yes or no, is recorded (R11). */
@ApiTags('debits')
@Controller('v1/links/:id/debits')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app')
export class DebitsHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly writes: WrittenCheckpoints,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Authorise a debit from an active link',
    description:
      'Authorised only for an active link, from its bound device, within every limit in force (Japan-time days ' +
      'and months); the authorisation lapses after 10 minutes unless the bank reports it. A refusal is recorded ' +
      'too and answered with 422 and its `code` (with `debitId`, and for `limit_exceeded` `limit` and `remaining`). ' +
      'The same `Idempotency-Key` names the same debit: a retry is counted once.',
  })
  @ApiAccessToken('links:write')
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DebitResponseDto, description: 'The debit, authorised' })
  @ApiProblems({
    400: 'The body does not have the expected shape: amount not a positive whole number of yen, another currency… (`validation_failed`)',
    404: 'No such link of this app (`link_not_found`)',
    409: 'Too many debits of this link at the same moment (`concurrent_modification`): retry',
    415: 'Not an application/json body',
    422: 'Refused and recorded: link_not_active, device_not_bound, limit_exceeded (with limit, remaining), actor_blocked',
  })
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  @Scopes('links:write')
  async authorise(
    @Param('id') linkId: string,
    @Body() body: AuthoriseDebitRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DebitView> {
    const metadata = eventMetadataOf(request, { type: 'payment_app', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    const idempotencyKey = idempotencyKeyFrom(request.headers[IDEMPOTENCY_KEY_HEADER]);
    const outcome = await mappingLinkingErrors(() => {
      assertLinkId(linkId);
      return this.commands.execute(
        new AuthoriseDebitCommand(
          {
            paymentAppId: principal.clientId,
            linkId,
            amount: body.amount,
            currency: body.currency,
            reference: body.reference,
            deviceId: body.device.id,
            ...(body.device.ipAddress ? { ipAddress: body.device.ipAddress } : {}),
            ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          },
          { ...metadata, deviceId: body.device.id },
        ),
      );
    });
    setCheckpoint(reply, this.writes.forPaymentApp(principal.clientId));
    if (outcome.refusal) {
      const { code, detail, limit, remaining } = outcome.refusal;
      throw new ProblemException({
        status: 422,
        code,
        detail,
        extensions: {
          debitId: outcome.debit.id,
          ...(limit ? { limit } : {}),
          ...(remaining !== undefined ? { remaining } : {}),
        },
      });
    }
    return outcome.debit;
  }

  @Get()
  @ApiOperation({ summary: "The link's debits, newest first (authorised and refused)" })
  @ApiAccessToken('links:read')
  @ApiReadFreshness()
  @ApiOkResponse({ type: DebitPageResponseDto })
  @ApiProblems({
    400: 'A bad query parameter or cursor (`validation_failed`)',
    404: 'No such link of this app (`link_not_found`)',
  })
  @Scopes('links:read')
  list(
    @Param('id') linkId: string,
    @Query() query: PageQueryDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<DebitView>> {
    return mappingQueryErrors(async () => {
      assertLinkId(linkId);
      const fresh = await this.queries.execute(
        new ListLinkDebitsQuery(principal.clientId, linkId, pageOf(query), minCheckpointOf(request)),
      );
      return answerFresh(reply, fresh);
    });
  }
}

/** A malformed id cannot name a link: the same 404 as an unknown one. */
function assertLinkId(id: string): void {
  if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
}
