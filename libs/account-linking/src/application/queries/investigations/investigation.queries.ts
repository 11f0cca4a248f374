import type { Checkpoint } from '@lib/event-store/event-store.port';
import type { EvidenceBundle } from '@lib/event-store/hash-chain/evidence-bundle';
import { Query } from '@nestjs/cqrs';
import type { BankAccountNumber } from '../../ports/bank-account-tokens.port';
import type { Page, PageRequest } from '../../ports/link-read-model.port';
import type { Fresh } from '../freshness/fresh';
import type { Investigator } from './investigation-audit';
import type {
  BankAccountHistoryView,
  InvestigatedLinkView,
  LinkEventsView,
  LinkStateAsOfView,
} from './investigation-views';

/** A link's full history: every event of its stream, and its entries on its account's guard stream. */
export class LinkEventsForInvestigationQuery extends Query<LinkEventsView> {
  constructor(
    readonly linkId: string,
    readonly investigator: Investigator,
  ) {
    super();
  }
}

/** The link's events and its debits', each stream whole, signed by the service (API.md "Evidence"). */
export class LinkEvidenceQuery extends Query<EvidenceBundle> {
  constructor(
    readonly linkId: string,
    readonly investigator: Investigator,
  ) {
    super();
  }
}

/** The link as it was at `at`, by replaying its stream up to then. */
export class LinkStateAsOfQuery extends Query<LinkStateAsOfView> {
  constructor(
    readonly linkId: string,
    readonly at: Date,
    readonly investigator: Investigator,
  ) {
    super();
  }
}

/** Every link and attempt ever made on one bank account, with outcomes. */
export class BankAccountHistoryQuery extends Query<Fresh<BankAccountHistoryView>> {
  constructor(
    readonly account: BankAccountNumber,
    readonly investigator: Investigator,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}

/** Every link requested from one device, any app. */
export class DeviceLinksQuery extends Query<Fresh<Page<InvestigatedLinkView>>> {
  constructor(
    readonly deviceId: string,
    readonly page: PageRequest,
    readonly investigator: Investigator,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}

/** Every link of one customer reference (the app's own id for its user), in any app unless one is named. */
export class CustomerLinksQuery extends Query<Fresh<Page<InvestigatedLinkView>>> {
  constructor(
    readonly customerReference: string,
    readonly paymentAppId: string | undefined,
    readonly page: PageRequest,
    readonly investigator: Investigator,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}
