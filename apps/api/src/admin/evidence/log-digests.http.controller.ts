import { Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LogDigests } from '@lib/account-linking/application/log-digests/log-digests';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import type { LogDigest, LogVerification } from '@lib/event-store/hash-chain/log-digest';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { mappingLinkingErrors } from '../../http/linking-problem';
import { LogDigestResponseDto, LogVerificationResponseDto } from '../../investigations/log-digest.dto';
import { ApiAccessToken, ApiProblems } from '../../openapi/api-docs.decorators';
import { operatorEventMetadata } from '../banks/operator-event-metadata';

/** Operators: record a digest of the whole log now, and verify every recorded digest against the log. */
@ApiTags('admin')
@Controller('v1/admin/evidence')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class LogDigestsAdminHttpController {
  constructor(
    private readonly digests: LogDigests,
    private readonly hash: KeyedHash,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('log-digests')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record the next signed digest of the whole log now',
    description:
      'Folds the log from the last digest to what is visible now and records the next digest on `log-digests`, ' +
      'with the operator as its actor (the worker records them by itself too). A race with another writer is ' +
      'retried: digest n is only ever written once.',
  })
  @ApiAccessToken('admin')
  @ApiCreatedResponse({ type: LogDigestResponseDto })
  @ApiProblems({
    409: 'No event was written since the last digest (`log_digest_up_to_date`, with `latestDigestId`)',
    503: 'The service has no signing key of its own (`evidence_signing_unavailable`)',
  })
  record(@Principal() principal: AuthPrincipal, @Req() request: FastifyRequest): Promise<LogDigest> {
    return mappingLinkingErrors(() =>
      this.digests.recordNow(operatorEventMetadata(request, principal, this.hash, this.clock.now())),
    );
  }

  @Post('log-verification')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute the digest of the whole log and hold it against every recorded digest',
    description:
      'Reads every digest and the log from its start: each digest must follow the one before it, carry the ' +
      "service's signature, and equal the accumulator, event count and last position the log gives at its " +
      'checkpoint; each covered event must still give its stored hash. Names the first digest that does not hold.',
  })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: LogVerificationResponseDto })
  verify(): Promise<LogVerification> {
    return mappingLinkingErrors(() => this.digests.verify());
  }
}
