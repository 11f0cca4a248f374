import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import { LiftActorBlockCommand } from '@lib/account-linking/application/commands/lift-actor-block/lift-actor-block.command';
import type { ActorBlockView } from '@lib/account-linking/application/ports/actor-blocks.port';
import { ListActorBlocksQuery } from '@lib/account-linking/application/queries/actor-blocks/list-actor-blocks.query';
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
import { BankSuspensionRequestDto } from '../banks/bank-suspension.request.dto';

const BLOCK_ID = /^blk_[A-Za-z0-9_-]{22}$/;
const notFound = (id: string) =>
  new ProblemException({ status: 404, code: 'actor_block_not_found', detail: `No block ${id}` });

/** Operators: the blocks of devices, customers and addresses (R8), and lifting one, with a reason. */
@ApiTags('admin')
@Controller('v1/admin/actor-blocks')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class ActorBlocksHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Blocks of devices, app customers and end-user addresses',
    description: 'An address is shown only as its keyed hash. `active=true`: only blocks in force now.',
  })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  @ApiAccessToken('admin')
  @ApiOkResponse({
    description:
      '`{ items: [{ id, actor: { kind, paymentAppId, key }, blockedAt, until, reason, accountsTried, liftedAt?, ' +
      'liftReason?, expiredAt? }] }` (`expiredAt`: when the block’s timer recorded that it ran out)',
  })
  @ApiProblems({ 400: 'A bad `active` (`validation_failed`)' })
  async list(@Query('active') active?: string): Promise<{ items: ActorBlockView[] }> {
    if (active !== undefined && active !== 'true' && active !== 'false') {
      throw new ProblemException({
        status: 400,
        code: 'validation_failed',
        detail: 'active must be true or false',
        errors: [{ field: 'active', message: 'must be true or false' }],
      });
    }
    return { items: await this.queries.execute(new ListActorBlocksQuery(active === 'true')) };
  }

  @Delete(':id')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Lift a block',
    description: 'Recorded on the actor’s stream with the operator and the reason.',
  })
  @ApiParam({ name: 'id', example: 'blk_…' })
  @ApiAccessToken('admin')
  @ApiProblems({ 400: 'No reason given (`validation_failed`)', 404: 'No such block (`actor_block_not_found`)' })
  lift(
    @Param('id') id: string,
    @Body() body: BankSuspensionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<ActorBlockView> {
    return mappingLinkingErrors(async () => {
      if (!BLOCK_ID.test(id)) throw notFound(id);
      const metadata = eventMetadataOf(
        request,
        { type: 'operator', id: principal.clientId },
        (ip) => this.hash.sourceAddressHash(ip),
        { occurredAt: this.clock.now().toISOString() },
      );
      return this.commands.execute(new LiftActorBlockCommand(id, body.reason.trim(), metadata));
    });
  }
}
