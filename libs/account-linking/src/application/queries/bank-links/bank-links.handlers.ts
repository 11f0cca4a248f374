import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LinkSignalsReader } from '../../actor-defences/link-signals';
import { type BankLinkView, toBankLinkView } from '../../bank-link-view';
import { BANK_ACCOUNT_TOKENS, type BankAccountTokens } from '../../ports/bank-account-tokens.port';
import { LINK_READ_MODEL, type LinkReadModel, type Page } from '../../ports/link-read-model.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
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
    private readonly writes: WrittenCheckpoints,
    private readonly signals: LinkSignalsReader,
  ) {}

  async execute({ bankCode, filter, page, minCheckpoint }: ListBankLinksQuery): Promise<Fresh<Page<BankLinkView>>> {
    const { checkpoint } = await settleForReader(this.links, this.writes, { bankCode }, minCheckpoint);
    const found = await this.links.select({ ...filter, bankCode }, page);
    const items = await this.signals.withSignals(found.items.map((state) => ({ state, view: toBankLinkView(state) })));
    return { value: { items, nextCursor: found.nextCursor }, checkpoint };
  }
}

@QueryHandler(BankAccountLinksQuery)
export class BankAccountLinksHandler implements IQueryHandler<BankAccountLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(BANK_ACCOUNT_TOKENS) private readonly tokens: BankAccountTokens,
    private readonly writes: WrittenCheckpoints,
    private readonly signals: LinkSignalsReader,
  ) {}

  async execute({ account, page, minCheckpoint }: BankAccountLinksQuery): Promise<Fresh<Page<BankLinkView>>> {
    const scope = { bankCode: account.bankCode };
    const { checkpoint } = await settleForReader(this.links, this.writes, scope, minCheckpoint);
    const accountToken = this.tokens.tokenFor(account);
    const found = await this.links.select({ bankCode: account.bankCode, accountToken }, page);
    const items = await this.signals.withSignals(found.items.map((state) => ({ state, view: toBankLinkView(state) })));
    return { value: { items, nextCursor: found.nextCursor }, checkpoint };
  }
}

@QueryHandler(BankLinkCountsQuery)
export class BankLinkCountsHandler implements IQueryHandler<BankLinkCountsQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async execute({ bankCode, minCheckpoint }: BankLinkCountsQuery): Promise<Fresh<BankLinkCounts>> {
    const { checkpoint } = await settleForReader(this.links, this.writes, { bankCode }, minCheckpoint);
    return { value: { bankCode, counts: await this.links.countsByStatus(bankCode) }, checkpoint };
  }
}
