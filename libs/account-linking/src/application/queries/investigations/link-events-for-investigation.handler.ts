import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { LinkRequested } from '../../../domain/link/link-events';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { InvestigationAudit } from './investigation-audit';
import { LinkEventsForInvestigationQuery } from './investigation.queries';
import { type LinkEventsView, toInvestigatedEvent } from './investigation-views';

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(LinkEventsForInvestigationQuery)
export class LinkEventsForInvestigationHandler implements IQueryHandler<LinkEventsForInvestigationQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
      events: events.map(toInvestigatedEvent),
      bankAccountGuardEvents: guardEvents
        .filter((event) => (event.data as { linkId?: unknown }).linkId === linkId)
        .map(toInvestigatedEvent),
    };
  }
}
