import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEBIT_ID_PATTERN } from '@lib/account-linking/application/debits/debit-streams';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { type BankDebitView, GetBankDebitQuery } from '@lib/account-linking/application/queries/debits/debit.queries';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { OwnBankGuard } from '../banks/bank-client';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';
import { mappingQueryErrors } from '../queries/query-problems';
import { BankDebitResponseDto } from './debit.dto';

/** A bank checks, before it executes a debit, that the service authorised it (API.md "Debits"). */
@ApiTags('banks')
@Controller('v1/banks/:bankCode/debits')
@UseGuards(JwtAuthGuard, RolesGuard, OwnBankGuard)
@Roles('bank')
@Scopes('bank:read')
export class BankDebitsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Look up an authorisation before executing the debit',
    description:
      "Read from the debit's own stream (never behind): execute only an `authorised` debit whose link is `active`, " +
      'then report `debit.settled` or `debit.failed` by webhook.',
  })
  @ApiAccessToken('bank:read')
  @ApiOkResponse({ type: BankDebitResponseDto })
  @ApiProblems({ 404: 'No such debit on an account of this bank (`debit_not_found`)' })
  getDebit(@Param('bankCode') bankCode: string, @Param('id') debitId: string): Promise<BankDebitView> {
    return mappingQueryErrors(async () => {
      if (!DEBIT_ID_PATTERN.test(debitId)) {
        throw new LinkingRefused('debit_not_found', `No debit ${debitId} on an account of bank ${bankCode}`);
      }
      return this.queries.execute(new GetBankDebitQuery(bankCode, debitId));
    });
  }
}
