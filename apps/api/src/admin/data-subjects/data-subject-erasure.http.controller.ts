import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  type DataSubjectErasure,
  EraseDataSubjectCommand,
} from '@lib/account-linking/application/commands/erase-data-subject/erase-data-subject.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { JsonBodyGuard } from '../../http/json-body';
import { mappingLinkingErrors } from '../../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { operatorEventMetadata } from '../banks/operator-event-metadata';
import { DataSubjectErasureRequestDto } from './data-subject-erasure.request.dto';

/** R14: an operator erases a data subject on a lawful request (API.md "Evidence, policy replay, erasure"). */
@ApiTags('admin')
@Controller('v1/admin/data-subjects')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class DataSubjectErasureHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('erasure')
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: 'Erase a data subject: destroy its key, so every value sealed for it reads as erased',
    description:
      "The subject is the payment app's customer. Its key is destroyed for good; events keep their shape and " +
      'hash chains (sealed values stay sealed, unreadable); reads show `{ "erased": true }` and histories ' +
      '`personalData: "erased"`; the erasure is a `DataSubjectErased` event with the legal basis and the ' +
      'operator; later link requests for the subject are refused with `data_subject_erased`. Idempotent.',
  })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ subjectId, paymentAppId, legalBasis, erasedAt, newlyErased }`' })
  @ApiProblems({ 400: 'A missing or blank field (`validation_failed`)' })
  erase(
    @Body() body: DataSubjectErasureRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<DataSubjectErasure> {
    return mappingLinkingErrors(() =>
      this.commands.execute(
        new EraseDataSubjectCommand(
          body.paymentAppId,
          body.customerReference,
          body.legalBasis.trim(),
          operatorEventMetadata(request, principal, this.hash, this.clock.now()),
        ),
      ),
    );
  }
}
