import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CaseView } from '@lib/account-linking/application/cases/case-view';
import { ComplaintCases } from '@lib/account-linking/application/cases/complaint-cases';
import { CASE_READ_MODEL, type CaseReadModel } from '@lib/account-linking/application/ports/case-read-model.port';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { eventMetadataOf } from '../http/event-metadata';
import { JsonBodyGuard } from '../http/json-body';
import { mappingLinkingErrors } from '../http/linking-problem';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { CaseDecisionRequestDto, CaseListQueryDto, CasePageResponseDto, CaseResponseDto } from './case.dto';
import { decisionOf, listCases } from './cases.http.controller';

/** Operators see every case (overdue ones included) and may decide one alone (API.md "Complaint cases"). */
@ApiTags('admin')
@Controller('v1/admin/cases')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class AdminCasesHttpController {
  constructor(
    private readonly cases: ComplaintCases,
    @Inject(CASE_READ_MODEL) private readonly readModel: CaseReadModel,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every case, newest first (filter `status=overdue` for the late ones)' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: CasePageResponseDto })
  list(@Query() query: CaseListQueryDto): Promise<Page<CaseView>> {
    return listCases(this.readModel, { kind: 'all' }, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case, with its notes' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({ 404: 'No such case (`case_not_found`)' })
  get(@Param('id') caseId: string, @Principal() principal: AuthPrincipal): Promise<CaseView> {
    return mappingLinkingErrors(() => this.cases.get(caseId, { kind: 'operator', id: principal.clientId }));
  }

  @Post(':id/decision')
  @ApiOperation({ summary: 'Decide a case alone, whatever the parties proposed' })
  @ApiAccessToken('admin')
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such case (`case_not_found`)',
    409: 'Decided already (`case_already_decided`)',
    422: 'A compensation that does not add up (`invalid_compensation`)',
  })
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  decide(
    @Param('id') caseId: string,
    @Body() body: CaseDecisionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    const metadata = eventMetadataOf(request, { type: 'operator', id: principal.clientId }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
    return mappingLinkingErrors(() =>
      this.cases.decideAsOperator(caseId, principal.clientId, decisionOf(body), metadata),
    );
  }
}
