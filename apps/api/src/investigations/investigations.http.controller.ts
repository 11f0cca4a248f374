import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import {
  PolicyReplayRequests,
  type PolicyReplayView,
} from '@lib/account-linking/application/policy-replay/policy-replay-requests';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import type { Investigator } from '@lib/account-linking/application/queries/investigations/investigation-audit';
import {
  BankAccountHistoryQuery,
  CustomerLinksQuery,
  DeviceLinksQuery,
  LinkEventsForInvestigationQuery,
  LinkEvidenceQuery,
  LinkStateAsOfQuery,
} from '@lib/account-linking/application/queries/investigations/investigation.queries';
import type {
  BankAccountHistoryView,
  InvestigatedLinkView,
  LinkEventsView,
  LinkStateAsOfView,
} from '@lib/account-linking/application/queries/investigations/investigation-views';
import type { EvidenceBundle } from '@lib/event-store/hash-chain/evidence-bundle';
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
import { ApiReadFreshness } from '../queries/api-read-freshness';
import { pageOf } from '../queries/page-query.dto';
import { mappingQueryErrors } from '../queries/query-problems';
import { investigatorOf } from './investigator';
import { answerFresh, minCheckpointOf } from '../queries/read-freshness';
import {
  BankAccountQueryDto,
  CustomerLinksQueryDto,
  DeviceLinksQueryDto,
  LinkStateAtQueryDto,
} from './investigation-query.dto';
import { PolicyReplayResponseDto, PolicyReplayStartedDto, StartPolicyReplayRequestDto } from './policy-replay.dto';

const DEVICE_ID = /^[\x21-\x7E]{1,128}$/;

/**
 * Investigators (API.md): a link's full history, its state as of an instant, and every attempt on a bank
 * account, device or customer reference. Every call names its case (`X-Investigation-Case`, else 400 before anything is read) and is
 * recorded as an `InvestigationRecordRead` event on `audit-investigations` before its data is returned.
 */
@ApiTags('investigations')
@Controller('v1/investigations')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('investigator')
@Scopes('investigations:read')
@RequiresInvestigationCase()
export class InvestigationsHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(KeyedHash) private readonly hash: KeyedHash,
    private readonly replays: PolicyReplayRequests,
  ) {}

  @Post('policy-replays')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Starts a policy replay: which links in these statuses would fail a stricter policy?',
    description:
      "A background job judges each link's recorded facts (its request's eKYC method and time, the methods the " +
      'bank reported, the per-field KYC outcomes) with the same domain policies that decide links today. It never ' +
      'changes a link. `statuses` defaults to `["active"]`. Follow it with `GET …/policy-replays/{id}`.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiAcceptedResponse({ type: PolicyReplayStartedDto })
  @ApiProblems({ 400: 'A bad policy or status list (`validation_failed`)' })
  startPolicyReplay(
    @Body() body: StartPolicyReplayRequestDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<{ id: string }> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, caseId);
      const { allowedEkycMethods, photoIdAllowedUntil, requirePhishingResistant, minFactorKinds, kycRule } =
        body.policy;
      const policy = {
        ...(allowedEkycMethods !== undefined ? { allowedEkycMethods } : {}),
        ...(photoIdAllowedUntil !== undefined
          ? { photoIdAllowedUntil: new Date(photoIdAllowedUntil).toISOString() }
          : {}),
        ...(requirePhishingResistant !== undefined ? { requirePhishingResistant } : {}),
        ...(minFactorKinds !== undefined ? { minFactorKinds } : {}),
        ...(kycRule !== undefined ? { kycRule: { allOf: kycRule.allOf, anyOf: kycRule.anyOf } } : {}),
      };
      return this.replays.start(policy, body.statuses, investigator);
    });
  }

  @Get('policy-replays/:id')
  @ApiOperation({
    summary: "A policy replay's status, progress and the links that would fail, with the codes",
    description:
      '`status`: `queued`, `running`, `done` or `failed`; `progress`: `{ linksChecked, linksTotal }`; `items`: ' +
      '`[{ linkId, wouldFail }]`, codes among `ekyc_method_not_allowed`, `weak_bank_authentication` (with ' +
      '`phishing_resistant_factor_required` when that is why) and `kyc_mismatch`.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ type: PolicyReplayResponseDto })
  @ApiProblems({ 404: 'No such replay (`policy_replay_not_found`)' })
  policyReplay(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<PolicyReplayView> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, caseId);
      return this.replays.get(id, investigator);
    });
  }

  @Get('links/:id/events')
  @ApiOperation({
    summary: "Every event of the link's stream, with all its metadata, in order; and of its debits",
    description:
      "`events`: the link's stream (`link-{id}`) in order. `bankAccountGuardEvents`: its entries on its account's " +
      "guard. `debitEvents`: the events of its debits' streams (`debit-{id}`, refused debits too) and of its spending " +
      'stream (`spending-{id}`), merged in global order, each with its `streamName`.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ description: '`{ linkId, events, bankAccountGuardEvents, debitEvents }`' })
  @ApiProblems({ 404: 'No such link (`link_not_found`)' })
  linkEvents(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<LinkEventsView> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, caseId);
      return this.queries.execute(new LinkEventsForInvestigationQuery(this.linkId(id), investigator));
    });
  }

  @Get('links/:id/evidence')
  @ApiOperation({
    summary: "The link's evidence bundle: its events and its debits', each chain checkable, signed by the service",
    description:
      '`{ linkId, events, streamHashes, exportedAt, logDigest, signature }`: every event of `link-{id}`, ' +
      '`spending-{id}` and each `debit-{id}` of the link, whole and as stored (`metadata.previousHash`/`hash` chain ' +
      "each stream), each with its `globalPosition` and `checkpoint` in the log; `streamHashes` each stream's head; " +
      '`logDigest` the latest signed digest of the whole log if it covers the last of these events (else null); ' +
      '`signature` a compact JWS (EdDSA or ES256, key in /.well-known/jwks.json) over `{ linkId, exportedAt, ' +
      'streamHashes, digest }`, digest = hex(SHA-256(JCS({ linkId, events, streamHashes, exportedAt, logDigest }))). ' +
      'Check it offline with `npm run cli -- evidence verify <file>`.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ description: '`{ linkId, events, streamHashes, exportedAt, logDigest, signature }`' })
  @ApiProblems({
    404: 'No such link (`link_not_found`)',
    503: 'The service has no signing key of its own (`evidence_signing_unavailable`)',
  })
  linkEvidence(
    @Param('id') id: string,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<EvidenceBundle> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, caseId);
      return this.queries.execute(new LinkEvidenceQuery(this.linkId(id), investigator));
    });
  }

  @Get('links/:id/state')
  @ApiOperation({ summary: 'The link as it was at an instant, by replaying its stream up to then' })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiOkResponse({ description: '`{ linkId, at, revision, status, link, state }`' })
  @ApiProblems({ 400: 'A bad `at` (`validation_failed`)', 404: 'No such link (`link_not_found`)' })
  linkStateAt(
    @Param('id') id: string,
    @Query() query: LinkStateAtQueryDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
  ): Promise<LinkStateAsOfView> {
    return mappingQueryErrors(async () => {
      const investigator = this.investigator(request, principal, caseId);
      return this.queries.execute(new LinkStateAsOfQuery(this.linkId(id), new Date(query.at), investigator));
    });
  }

  @Get('bank-accounts')
  @ApiOperation({
    summary: 'Every link and attempt ever made on a bank account, with outcomes',
    description:
      'Links that started (with their status and reason), requests refused before any link existed, and ' +
      'lockouts, oldest first. The account is found by its token; its number is neither stored nor returned.',
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ bankAccount, entries }`' })
  @ApiProblems({ 400: 'A bad query parameter (`validation_failed`)' })
  bankAccountHistory(
    @Query() query: BankAccountQueryDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BankAccountHistoryView> {
    return mappingQueryErrors(async () => {
      const account = {
        bankCode: query.bankCode,
        branchCode: query.branchCode,
        type: query.type,
        number: query.number,
      };
      const minCheckpoint = minCheckpointOf(request);
      const investigator = this.investigator(request, principal, caseId);
      const fresh = await this.queries.execute(new BankAccountHistoryQuery(account, investigator, minCheckpoint));
      return answerFresh(reply, fresh);
    });
  }

  @Get('devices/:deviceId/links')
  @ApiOperation({ summary: 'Every link requested from one device, any app, newest first' })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ items, nextCursor }`' })
  @ApiProblems({ 400: 'A bad device id, query parameter or cursor (`validation_failed`)' })
  deviceLinks(
    @Param('deviceId') deviceId: string,
    @Query() query: DeviceLinksQueryDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<InvestigatedLinkView>> {
    return mappingQueryErrors(async () => {
      if (!DEVICE_ID.test(deviceId)) {
        throw fieldValidationProblem([{ field: 'deviceId', message: 'deviceId must be 1 to 128 visible characters' }]);
      }
      const minCheckpoint = minCheckpointOf(request);
      const investigator = this.investigator(request, principal, caseId);
      const fresh = await this.queries.execute(
        new DeviceLinksQuery(deviceId, pageOf(query), investigator, minCheckpoint),
      );
      return answerFresh(reply, fresh);
    });
  }

  @Get('customer-links')
  @ApiOperation({
    summary: "Every link of one customer reference (the app's own id for its user), any app unless one is named",
  })
  @ApiAccessToken('investigations:read')
  @ApiInvestigationCase()
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ items, nextCursor }`, newest first' })
  @ApiProblems({ 400: 'A missing or bad query parameter or cursor (`validation_failed`)' })
  customerLinks(
    @Query() query: CustomerLinksQueryDto,
    @Principal() principal: AuthPrincipal,
    @InvestigationCase() caseId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<InvestigatedLinkView>> {
    return mappingQueryErrors(async () => {
      const minCheckpoint = minCheckpointOf(request);
      const investigator = this.investigator(request, principal, caseId);
      const fresh = await this.queries.execute(
        new CustomerLinksQuery(query.customerReference, query.paymentAppId, pageOf(query), investigator, minCheckpoint),
      );
      return answerFresh(reply, fresh);
    });
  }

  private investigator(request: FastifyRequest, principal: AuthPrincipal, caseId: string): Investigator {
    return investigatorOf(request, principal, caseId, this.hash);
  }

  /** A malformed id cannot name a link: the same 404 as an unknown one (and nothing to audit). */
  private linkId(id: string): string {
    if (!LINK_ID_PATTERN.test(id)) throw new LinkingRefused('link_not_found', `No link ${id}`);
    return id;
  }
}
