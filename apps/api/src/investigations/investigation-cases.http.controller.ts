import { Controller, Get, Inject, Param, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CaseView } from '@lib/account-linking/application/cases/case-view';
import { ComplaintCases } from '@lib/account-linking/application/cases/complaint-cases';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { CASE_READ_MODEL, type CaseReadModel } from '@lib/account-linking/application/ports/case-read-model.port';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import {
  InvestigationAudit,
  type Investigator,
} from '@lib/account-linking/application/queries/investigations/investigation-audit';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { InvestigationCase, RequiresInvestigationCase } from '@lib/platform/auth/investigation-case';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { listCases } from '../cases/cases.http.controller';
import { CasePageResponseDto, CaseResponseDto } from '../cases/case.dto';
import { ApiAccessToken, ApiInvestigationCase, ApiProblems } from '../openapi/api-docs.decorators';
import { mappingQueryErrors } from '../queries/query-problems';
import { investigatorOf } from './investigator';

/**
 * Investigators read complaint cases (R12) as they read links: each read names its investigation case
 * (`X-Investigation-Case`) and is recorded on `audit-investigations` before anything is returned.
 */
@ApiTags('investigations')
@Controller('v1/investigations')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('investigator')
@Scopes('investigations:read')
@RequiresInvestigationCase()
export class InvestigationCasesHttpController {
  constructor(
    private readonly cases: ComplaintCases,
    @Inject(CASE_READ_MODEL) private readonly readModel: CaseReadModel,
    private readonly audit: InvestigationAudit,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Get('cases/:id')
  @ApiOperation({ summary: 'One complaint case with its notes, as both parties see it' })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({ 404: 'No such case (`case_not_found`)' })
  getCase(
    @Param('id') caseId: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() investigationCase: string,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, investigationCase);
      // Audited first, for an unknown case too: the attempt to read is itself evidence.
      await this.audit.record(investigator, { record: 'case', caseId });
      return this.cases.get(caseId, { kind: 'investigator', id: principal.clientId });
    });
  }

  @Get('links/:id/cases')
  @ApiOperation({ summary: 'The complaint cases about a link, newest first (without their texts)' })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ type: CasePageResponseDto })
  @ApiProblems({ 404: 'A malformed link id (`link_not_found`)' })
  linkCases(
    @Param('id') linkId: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() investigationCase: string,
    @Req() request: FastifyRequest,
  ): Promise<Page<CaseView>> {
    return mappingQueryErrors(async () => {
      if (!LINK_ID_PATTERN.test(linkId)) throw new LinkingRefused('link_not_found', `No link ${linkId}`);
      await this.audit.record(this.investigator(request, principal, investigationCase), {
        record: 'link_cases',
        linkId,
      });
      return listCases(this.readModel, { kind: 'all' }, { linkId });
    });
  }

  private investigator(request: FastifyRequest, principal: AuthPrincipal, caseId: string): Investigator {
    return investigatorOf(request, principal, caseId, this.hash);
  }
}
