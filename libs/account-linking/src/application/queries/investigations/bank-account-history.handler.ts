import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ACCOUNT_HISTORY, type AccountHistory } from '../../ports/account-history.port';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { InvestigationAudit } from './investigation-audit';
import { BankAccountHistoryQuery } from './investigation.queries';
import { type BankAccountHistoryView, toAccountHistoryEntryView } from './investigation-views';

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(BankAccountHistoryQuery)
export class BankAccountHistoryHandler implements IQueryHandler<BankAccountHistoryQuery> {
  constructor(
    @Inject(ACCOUNT_HISTORY) private readonly history: AccountHistory,
    @Inject(BANK_ACCOUNT_TOKENS) private readonly tokens: BankAccountTokens,
    private readonly writes: WrittenCheckpoints,
    private readonly audit: InvestigationAudit,
  ) {}

  async execute({
    account,
    investigator,
    minCheckpoint,
  }: BankAccountHistoryQuery): Promise<Fresh<BankAccountHistoryView>> {
    const accountToken = this.tokens.tokenFor(account);
    await this.audit.record(investigator, {
      record: 'bank_account_history',
      bankCode: account.bankCode,
      branchCode: account.branchCode,
      accountType: account.type,
      accountToken,
    });
    const { checkpoint } = await settleForReader(this.history, this.writes, 'all', minCheckpoint);
    const entries = await this.history.entriesFor(accountToken);
    return {
      value: {
        bankAccount: {
          bankCode: account.bankCode,
          branchCode: account.branchCode,
          type: account.type,
          last4: account.number.slice(-4),
        },
        entries: entries.map(toAccountHistoryEntryView),
      },
      checkpoint,
    };
  }
}
