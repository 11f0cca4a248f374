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
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CaseView } from '@lib/account-linking/application/cases/case-view';
import { ComplaintCases } from '@lib/account-linking/application/cases/complaint-cases';
import { CASE_READ_MODEL, type CaseReadModel } from '@lib/account-linking/application/ports/case-read-model.port';
import { InvalidCursorError, type Page } from '@lib/account-linking/application/ports/link-read-model.port';
import type { CaseParty } from '@lib/account-linking/domain/case/case.events';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Principal } from '@lib/platform/auth/principal.decorator';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { IdempotencyInterceptor } from '@lib/platform/idempotency/idempotency.interceptor';
import { fieldValidationProblem } from '@lib/platform/problem/validation-problem';
import { eventMetadataOf } from '../http/event-metadata';
import { JsonBodyGuard } from '../http/json-body';
import { mappingLinkingErrors } from '../http/linking-problem';
import { ApiAccessToken, ApiIdempotencyKey, ApiProblems } from '../openapi/api-docs.decorators';
import { pageOf } from '../queries/page-query.dto';
import { audienceOf } from '../webhooks-out/webhooks-out-problems';
import {
  AddCaseNoteRequestDto,
  CaseDecisionRequestDto,
  CaseListQueryDto,
  CasePageResponseDto,
  CaseResponseDto,
  OpenCaseRequestDto,
} from './case.dto';

/** How long a list waits for the cases read model to catch up with the log. */
const LIST_SETTLE_MS = 2_000;

/**
 * API.md "Complaint cases" (R12): one case, both parties. The app of a link and the bank of its account (a
 * `bank-<code>` client) see and act on the same case; anyone else is answered 404, as for an unknown case.
 */
@ApiTags('cases')
@Controller('v1/cases')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('payment_app', 'bank')
export class CasesHttpController {
  constructor(
    private readonly cases: ComplaintCases,
    @Inject(CASE_READ_MODEL) private readonly readModel: CaseReadModel,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Open a complaint case about a link (or some of its debits)',
    description:
      'Opened by the app or the bank of the link; both see it. `respondBy` is 5 Japanese business days later. ' +
      'An `unauthorised_link` or `unauthorised_debit` case suspends the link at once (`fraud_rule:case_opened`).',
  })
  @ApiAccessToken()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CaseResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such link of the caller (`link_not_found`)',
    415: 'Not an application/json body',
    422: 'A debit that is not of this link (`case_debit_not_found`)',
  })
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  open(
    @Body() body: OpenCaseRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    return mappingLinkingErrors(() => {
      const party = this.partyOf(principal);
      return this.cases.open(
        party,
        { linkId: body.linkId, category: body.category, summary: body.summary, debitIds: body.debitIds ?? [] },
        this.metadataOf(request, party),
      );
    });
  }

  @Get()
  @ApiOperation({ summary: "The caller's cases (its links' cases), newest first; no summary or note text" })
  @ApiAccessToken()
  @ApiOkResponse({ type: CasePageResponseDto })
  @ApiProblems({ 400: 'A bad query parameter or cursor (`validation_failed`)' })
  list(@Query() query: CaseListQueryDto, @Principal() principal: AuthPrincipal): Promise<Page<CaseView>> {
    return listCases(this.readModel, this.partyOf(principal), query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case, with its notes' })
  @ApiAccessToken()
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({ 404: 'No such case of the caller (`case_not_found`)' })
  get(@Param('id') caseId: string, @Principal() principal: AuthPrincipal): Promise<CaseView> {
    return mappingLinkingErrors(() => this.cases.get(caseId, this.partyOf(principal)));
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add a note to the shared thread (sealed at rest)' })
  @ApiAccessToken()
  @ApiCreatedResponse({ type: CaseResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such case of the caller (`case_not_found`)',
  })
  @HttpCode(201)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  addNote(
    @Param('id') caseId: string,
    @Body() body: AddCaseNoteRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    return mappingLinkingErrors(() => {
      const party = this.partyOf(principal);
      return this.cases.addNote(caseId, party, body.text, this.metadataOf(request, party));
    });
  }

  @Post(':id/decision')
  @ApiOperation({
    summary: 'Propose a decision (or counter the other party’s)',
    description: 'The case is `awaiting_agreement` until the other party agrees or counters.',
  })
  @ApiAccessToken()
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({
    400: 'The body does not have the expected shape (`validation_failed`)',
    404: 'No such case of the caller (`case_not_found`)',
    409: 'The case is decided already (`case_already_decided`)',
    422: 'A compensation that does not add up (`invalid_compensation`)',
  })
  @HttpCode(200)
  @UseGuards(JsonBodyGuard)
  @UseInterceptors(IdempotencyInterceptor)
  propose(
    @Param('id') caseId: string,
    @Body() body: CaseDecisionRequestDto,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    return mappingLinkingErrors(() => {
      const party = this.partyOf(principal);
      return this.cases.propose(caseId, party, decisionOf(body), this.metadataOf(request, party));
    });
  }

  @Post(':id/agreement')
  @ApiOperation({ summary: 'Agree to the decision the other party proposed: the case is `decided`' })
  @ApiAccessToken()
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiProblems({
    404: 'No such case of the caller (`case_not_found`)',
    409: 'Nothing proposed (`case_no_proposal`), the caller’s own proposal (`case_own_proposal`), or decided already',
  })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  agree(
    @Param('id') caseId: string,
    @Principal() principal: AuthPrincipal,
    @Req() request: FastifyRequest,
  ): Promise<CaseView> {
    return mappingLinkingErrors(() => {
      const party = this.partyOf(principal);
      return this.cases.agree(caseId, party, this.metadataOf(request, party));
    });
  }

  private partyOf(principal: AuthPrincipal): CaseParty {
    return audienceOf(principal);
  }

  private metadataOf(request: FastifyRequest, party: CaseParty) {
    const type = party.kind === 'payment_app' ? 'payment_app' : 'bank';
    return eventMetadataOf(request, { type, id: party.kind === 'bank' ? `bank-${party.id}` : party.id }, (ip) =>
      this.hash.sourceAddressHash(ip),
    );
  }
}

export const decisionOf = (body: CaseDecisionRequestDto) => ({
  outcome: body.outcome,
  ...(body.compensation
    ? {
        compensation: {
          amount: body.compensation.amount,
          paidBy: body.compensation.paidBy,
          ...(body.compensation.appShare !== undefined ? { appShare: body.compensation.appShare } : {}),
        },
      }
    : {}),
});

export async function listCases(
  readModel: CaseReadModel,
  owner: Parameters<CaseReadModel['list']>[0],
  query: CaseListQueryDto,
): Promise<Page<CaseView>> {
  try {
    await readModel.settle(undefined, LIST_SETTLE_MS);
    return await readModel.list(
      owner,
      { ...(query.status ? { status: query.status } : {}), ...(query.linkId ? { linkId: query.linkId } : {}) },
      pageOf(query),
    );
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw fieldValidationProblem([{ field: 'cursor', message: 'cursor must be a nextCursor this service returned' }]);
    }
    throw error;
  }
}
