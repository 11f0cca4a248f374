import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BankLinkView } from '@lib/account-linking/application/bank-link-view';
import type { Page } from '@lib/account-linking/application/ports/link-read-model.port';
import {
  BankAccountLinksQuery,
  type BankLinkCounts,
  BankLinkCountsQuery,
  ListBankLinksQuery,
} from '@lib/account-linking/application/queries/bank-links/bank-links.queries';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiReadFreshness } from '../queries/api-read-freshness';
import { pageOf } from '../queries/page-query.dto';
import { mappingQueryErrors } from '../queries/query-problems';
import { answerFresh, minCheckpointOf } from '../queries/read-freshness';
import { OwnBankGuard } from './bank-client';
import { BankAccountLinksQueryDto, BankLinksQueryDto } from './bank-links.query.dto';

/**
 * A bank's view of the links to its accounts, for its customer support. The caller is a `bank` client
 * bound to one bank code (`bank-<code>`): another bank's code in the path is refused with 403.
 */
@ApiTags('banks')
@Controller('v1/banks/:bankCode')
@UseGuards(JwtAuthGuard, RolesGuard, OwnBankGuard)
@Roles('bank')
@Scopes('bank:read')
export class BankLinksHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get('links')
  @ApiOperation({ summary: "The bank's links, newest first, optionally in one status" })
  @ApiAccessToken('bank:read')
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ items, nextCursor }`' })
  @ApiProblems({ 400: 'A bad query parameter or cursor (`validation_failed`)' })
  listLinks(
    @Param('bankCode') bankCode: string,
    @Query() query: BankLinksQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<BankLinkView>> {
    return mappingQueryErrors(async () => {
      const filter = query.status !== undefined ? { status: query.status } : {};
      const fresh = await this.queries.execute(
        new ListBankLinksQuery(bankCode, filter, pageOf(query), minCheckpointOf(request)),
      );
      return answerFresh(reply, fresh);
    });
  }

  @Get('links/counts')
  @ApiOperation({ summary: 'How many links the bank has in each status' })
  @ApiAccessToken('bank:read')
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ bankCode, counts: { <status>: n } }`' })
  countLinks(
    @Param('bankCode') bankCode: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BankLinkCounts> {
    return mappingQueryErrors(async () =>
      answerFresh(reply, await this.queries.execute(new BankLinkCountsQuery(bankCode, minCheckpointOf(request)))),
    );
  }

  @Get('accounts/links')
  @ApiOperation({
    summary: 'Every link (any app, any status) to one account of the bank',
    description: 'The account number is used only to compute the account token; it is never stored or returned.',
  })
  @ApiAccessToken('bank:read')
  @ApiReadFreshness()
  @ApiOkResponse({ description: '`{ items, nextCursor }`' })
  @ApiProblems({ 400: 'A bad query parameter or cursor (`validation_failed`)' })
  accountLinks(
    @Param('bankCode') bankCode: string,
    @Query() query: BankAccountLinksQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<BankLinkView>> {
    return mappingQueryErrors(async () => {
      const account = { bankCode, branchCode: query.branchCode, type: query.type, number: query.number };
      const fresh = await this.queries.execute(
        new BankAccountLinksQuery(account, pageOf(query), minCheckpointOf(request)),
      );
      return answerFresh(reply, fresh);
    });
  }
}
