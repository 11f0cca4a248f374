import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { LinkRequested } from '../../../domain/link/link-events';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { DEBIT_READ_MODEL, type DebitReadModel } from '../../ports/debit-read-model.port';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '../../ports/personal-data-vault.port';
import { InvestigationAudit } from './investigation-audit';
import { LinkEventsForInvestigationQuery } from './investigation.queries';
import { type LinkEventsView, toInvestigatedEvents } from './investigation-views';
import { linkDebitEvents } from './link-debit-events';

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(LinkEventsForInvestigationQuery)
export class LinkEventsForInvestigationHandler implements IQueryHandler<LinkEventsForInvestigationQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DEBIT_READ_MODEL) private readonly debits: DebitReadModel,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    private readonly audit: InvestigationAudit,
  ) {}

  async execute({ linkId, investigator }: LinkEventsForInvestigationQuery): Promise<LinkEventsView> {
    await this.audit.record(investigator, { record: 'link_events', linkId });
    const events = await this.store.readStream(linkStream(linkId));
    const requested = events[0];
    if (requested?.type !== 'LinkRequested') {
      throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    const { accountToken } = (requested.data as LinkRequested['data']).bankAccount;
    const guardEvents = await this.store.readStream(bankAccountGuardStream(accountToken));
    return {
      linkId,
      events: await toInvestigatedEvents(events, this.vault),
      bankAccountGuardEvents: await toInvestigatedEvents(
        guardEvents.filter((event) => (event.data as { linkId?: unknown }).linkId === linkId),
        this.vault,
      ),
      debitEvents: await toInvestigatedEvents(await linkDebitEvents(this.store, this.debits, linkId), this.vault),
    };
  }
}
