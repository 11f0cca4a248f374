import type { Checkpoint } from '@lib/event-store/event-store.port';
import { Query } from '@nestjs/cqrs';
import type { DebitView } from '../../debits/debit-view';
import type { LinkStatus } from '../../../domain/link/link-state';
import type { Page, PageRequest } from '../../ports/link-read-model.port';
import type { Fresh } from '../freshness/fresh';

/** `GET /v1/links/{id}/debits`: a payment app's debits of one of its links, newest first. */
export class ListLinkDebitsQuery extends Query<Fresh<Page<DebitView>>> {
  constructor(
    readonly paymentAppId: string,
    readonly linkId: string,
    readonly page: PageRequest,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}

/** A debit as its bank checks it before executing it: from the debit's stream, with its link's status now. */
export interface BankDebitView extends DebitView {
  link: { id: string; status: LinkStatus };
}

/** `GET /v1/banks/{bankCode}/debits/{id}`: read from the streams, so an authorisation is never missed for lag. */
export class GetBankDebitQuery extends Query<BankDebitView> {
  constructor(
    readonly bankCode: string,
    readonly debitId: string,
  ) {
    super();
  }
}
