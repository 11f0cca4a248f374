import type { Checkpoint } from '@lib/event-store/event-store.port';
import { Query } from '@nestjs/cqrs';
import type { BankLinkView } from '../../bank-link-view';
import type { BankAccountNumber } from '../../ports/bank-account-tokens.port';
import type { ExistingLinkStatus, Page, PageRequest } from '../../ports/link-read-model.port';
import type { Fresh } from '../freshness/fresh';

/** A bank's links, newest first, optionally in one status: for its customer support. */
export class ListBankLinksQuery extends Query<Fresh<Page<BankLinkView>>> {
  constructor(
    readonly bankCode: string,
    readonly filter: { status?: ExistingLinkStatus },
    readonly page: PageRequest,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}

/** Every link (any app, any status) to one account of the bank, found by the account's token. */
export class BankAccountLinksQuery extends Query<Fresh<Page<BankLinkView>>> {
  constructor(
    readonly account: BankAccountNumber,
    readonly page: PageRequest,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}

export interface BankLinkCounts {
  bankCode: string;
  counts: Partial<Record<ExistingLinkStatus, number>>;
}

/** How many links the bank has in each status. */
export class BankLinkCountsQuery extends Query<Fresh<BankLinkCounts>> {
  constructor(
    readonly bankCode: string,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}
