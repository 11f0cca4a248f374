import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LogDigests } from '@lib/account-linking/application/log-digests/log-digests';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import { InvestigationAudit } from '@lib/account-linking/application/queries/investigations/investigation-audit';
import { LOG_DIGEST_ID_PATTERN, type LogDigest } from '@lib/event-store/hash-chain/log-digest';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { InvestigationCase, RequiresInvestigationCase } from '@lib/platform/auth/investigation-case';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { ApiAccessToken, ApiInvestigationCase, ApiProblems } from '../openapi/api-docs.decorators';
import { PageQueryDto, pageOf } from '../queries/page-query.dto';
import { mappingQueryErrors } from '../queries/query-problems';
import { investigatorOf } from './investigator';
import { LogDigestPageResponseDto, LogDigestResponseDto } from './log-digest.dto';

/**
 * The signed digests of the whole log, for investigators (README "Log digest"): audited reads like every other
 * investigation route (`X-Investigation-Case`, an `InvestigationRecordRead` before the answer). A malformed id is
 * refused and an unknown one answered 404 before anything is recorded: neither reads anything.
 */
@ApiTags('investigations')
@Controller('v1/investigations/log-digests')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('investigator')
@Scopes('investigations:read')
@RequiresInvestigationCase()
export class LogDigestsHttpController {
  constructor(
    private readonly digests: LogDigests,
    private readonly audit: InvestigationAudit,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The signed digests of the whole log, newest first',
    description:
      'Each digest commits the service, with its signature, to every event of the log up to `upToCheckpoint`. ' +
      'The worker records one every `LOG_DIGEST_EVERY_EVENTS` events or `LOG_DIGEST_INTERVAL_SECONDS`.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ type: LogDigestPageResponseDto })
  @ApiProblems({ 400: 'A bad `limit` or `cursor` (`validation_failed`)' })
  list(
    @Query() query: PageQueryDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<Page<LogDigest>> {
    return mappingQueryErrors(async () => {
      const page = pageOf(query);
      if (page.cursor !== undefined && !LOG_DIGEST_ID_PATTERN.test(page.cursor)) {
        throw fieldValidationProblem([
          { field: 'cursor', message: 'cursor must be a nextCursor this service returned' },
        ]);
      }
      await this.audit.record(investigatorOf(request, principal, caseId, this.hash), {
        record: 'log_digests',
        ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      });
      return this.digests.page(page);
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One signed digest of the whole log' })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ type: LogDigestResponseDto })
  @ApiProblems({
    400: 'Not a digest id, `ldg_{n}` (`validation_failed`)',
    404: 'No such digest (`log_digest_not_found`)',
  })
  get(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<LogDigest> {
    return mappingQueryErrors(async () => {
      if (!LOG_DIGEST_ID_PATTERN.test(id)) {
        throw fieldValidationProblem([{ field: 'id', message: 'id must be a log digest id, ldg_ and its number' }]);
      }
      const digest = await this.digests.get(id);
      await this.audit.record(investigatorOf(request, principal, caseId, this.hash), {
        record: 'log_digest',
        digestId: id,
      });
      return digest;
    });
  }
}
