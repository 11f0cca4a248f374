import { AuthoriseDebitHandler } from '@lib/account-linking/application/commands/authorise-debit/authorise-debit.handler';
import { DebitAuthorisation } from '@lib/account-linking/application/debits/debit-authorisation';
import {
  GetBankDebitHandler,
  ListLinkDebitsHandler,
} from '@lib/account-linking/application/queries/debits/debit-queries.handlers';
import { BankDebitsHttpController } from './bank-debits.http.controller';
import { DebitsHttpController } from './debits.http.controller';

/**
 * The api role's part of debits (API.md "Debits"): the app's authorisations and list, the bank's lookup, and
 * the bank's reports (through `RecordBankEventHandler`, which uses `DebitReports`). Listed in AccountLinkingModule.
 */
export const DEBITS_API = {
  controllers: [DebitsHttpController, BankDebitsHttpController],
  providers: [AuthoriseDebitHandler, DebitAuthorisation, ListLinkDebitsHandler, GetBankDebitHandler],
};
