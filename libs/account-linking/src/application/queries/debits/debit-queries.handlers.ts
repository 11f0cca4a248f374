import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { debitDecider } from '../../../domain/debit/debit.decider';
import { linkDecider } from '../../../domain/link/link.decider';
import { debitStream } from '../../debits/debit-streams';
import { type DebitView, toDebitView } from '../../debits/debit-view';
import { linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { DEBIT_READ_MODEL, type DebitReadModel } from '../../ports/debit-read-model.port';
import type { Page } from '../../ports/link-read-model.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { type BankDebitView, GetBankDebitQuery, ListLinkDebitsQuery } from './debit.queries';

@QueryHandler(ListLinkDebitsQuery)
export class ListLinkDebitsHandler implements IQueryHandler<ListLinkDebitsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DEBIT_READ_MODEL) private readonly debits: DebitReadModel,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async execute({ paymentAppId, linkId, page, minCheckpoint }: ListLinkDebitsQuery): Promise<Fresh<Page<DebitView>>> {
    // Whose link it is never changes: its first event says, and another app's link is no link of this one.
    const [first] = await this.store.readStream(linkStream(linkId), { toRevision: 0 });
    const owner = (first?.data as { paymentAppId?: string } | undefined)?.paymentAppId;
    if (first?.type !== 'LinkRequested' || owner !== paymentAppId) {
      throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    const { checkpoint } = await settleForReader(this.debits, this.writes, { paymentAppId }, minCheckpoint);
    const found = await this.debits.ofLink(linkId, page);
    return { value: { items: found.items.map(toDebitView), nextCursor: found.nextCursor }, checkpoint };
  }
}

@QueryHandler(GetBankDebitQuery)
export class GetBankDebitHandler implements IQueryHandler<GetBankDebitQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ bankCode, debitId }: GetBankDebitQuery): Promise<BankDebitView> {
    const { state } = await aggregateStream(this.store, debitStream(debitId), debitDecider);
    // Another bank's debit is as unknown to this bank as one that does not exist.
    if (state.status === 'none' || state.debit.bankCode !== bankCode) {
      throw new LinkingRefused('debit_not_found', `No debit ${debitId} on an account of bank ${bankCode}`);
    }
    const { state: link } = await aggregateStream(this.store, linkStream(state.debit.linkId), linkDecider);
    return { ...toDebitView(state), link: { id: state.debit.linkId, status: link.status } };
  }
}
