import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@lib/event-store/event-store.port';
import type { DebitAmountReserved } from '../../../domain/debit/spending.events';
import type { LinkRequested } from '../../../domain/link/link-events';
import { debitStream, spendingStream } from '../../debits/debit-streams';
import { bankAccountGuardStream, linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { DEBIT_READ_MODEL, type DebitReadModel } from '../../ports/debit-read-model.port';
import { InvestigationAudit } from './investigation-audit';
import { LinkEventsForInvestigationQuery } from './investigation.queries';
import { type LinkEventsView, toInvestigatedEvent } from './investigation-views';

/** Debit streams read at once: a link with years of debits must not open thousands of reads together. */
const DEBIT_STREAMS_AT_ONCE = 16;

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(LinkEventsForInvestigationQuery)
export class LinkEventsForInvestigationHandler implements IQueryHandler<LinkEventsForInvestigationQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DEBIT_READ_MODEL) private readonly debits: DebitReadModel,
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
      debitEvents: (await this.debitEventsOf(linkId)).map(toInvestigatedEvent),
    };
  }

  /**
   * The link's spending stream and every debit stream of the link, merged in global order. Which debits: those the
   * spending stream reserved (written before their own stream, so never missed) and those the debits read model
   * knows, which adds the refused ones (they never reach the spending stream) once it has caught up.
   */
  private async debitEventsOf(linkId: string): Promise<RecordedEvent[]> {
    const spending = await this.store.readStream(spendingStream(linkId));
    const reserved = spending
      .filter((event) => event.type === 'DebitAmountReserved')
      .map((event) => (event.data as DebitAmountReserved['data']).debitId);
    const debitIds = [...new Set([...reserved, ...(await this.debits.idsOfLink(linkId))])];
    const merged = [...spending];
    for (let from = 0; from < debitIds.length; from += DEBIT_STREAMS_AT_ONCE) {
      const streams = await Promise.all(
        debitIds
          .slice(from, from + DEBIT_STREAMS_AT_ONCE)
          .map((debitId) => this.store.readStream(debitStream(debitId))),
      );
      merged.push(...streams.flat());
    }
    // A store's checkpoints are fixed-width strings in global order.
    return merged.sort((a, b) => (a.checkpoint < b.checkpoint ? -1 : a.checkpoint > b.checkpoint ? 1 : 0));
  }
}
