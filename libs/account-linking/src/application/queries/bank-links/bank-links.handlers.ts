import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type BankLinkView, toBankLinkView } from '../../bank-link-view';
import { LinkCommandRunner } from '../../link-command-runner';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { LINK_READ_MODEL, type LinkReadModel, type Page } from '../../ports/link-read-model.port';
import { type Fresh, READ_MODEL_WAIT_MS } from '../freshness/fresh';
import { laterCheckpoint } from '../freshness/written-checkpoints';
import {
  type BankLinkCounts,
  BankAccountLinksQuery,
  BankLinkCountsQuery,
  ListBankLinksQuery,
} from './bank-links.queries';

/** The bank's own code is always part of the selection: no filter reaches another bank's links. */
@QueryHandler(ListBankLinksQuery)
export class ListBankLinksHandler implements IQueryHandler<ListBankLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({ bankCode, filter, page, minCheckpoint }: ListBankLinksQuery): Promise<Fresh<Page<BankLinkView>>> {
    const written = this.runner.writes.forBank(bankCode);
    const checkpoint = await this.links.settle(laterCheckpoint(minCheckpoint, written), READ_MODEL_WAIT_MS);
    const found = await this.links.select({ ...filter, bankCode }, page);
    return { value: { items: found.items.map(toBankLinkView), nextCursor: found.nextCursor }, checkpoint };
  }
}

@QueryHandler(BankAccountLinksQuery)
export class BankAccountLinksHandler implements IQueryHandler<BankAccountLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(BANK_ACCOUNT_TOKENS) private readonly tokens: BankAccountTokens,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({ account, page, minCheckpoint }: BankAccountLinksQuery): Promise<Fresh<Page<BankLinkView>>> {
    const written = this.runner.writes.forBank(account.bankCode);
    const checkpoint = await this.links.settle(laterCheckpoint(minCheckpoint, written), READ_MODEL_WAIT_MS);
    const accountToken = this.tokens.tokenFor(account);
    const found = await this.links.select({ bankCode: account.bankCode, accountToken }, page);
    return { value: { items: found.items.map(toBankLinkView), nextCursor: found.nextCursor }, checkpoint };
  }
}

@QueryHandler(BankLinkCountsQuery)
export class BankLinkCountsHandler implements IQueryHandler<BankLinkCountsQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({ bankCode, minCheckpoint }: BankLinkCountsQuery): Promise<Fresh<BankLinkCounts>> {
    const written = this.runner.writes.forBank(bankCode);
    const checkpoint = await this.links.settle(laterCheckpoint(minCheckpoint, written), READ_MODEL_WAIT_MS);
    return { value: { bankCode, counts: await this.links.countsByStatus(bankCode) }, checkpoint };
  }
}
