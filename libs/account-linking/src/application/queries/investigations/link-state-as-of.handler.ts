import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { linkDecider } from '../../../domain/link/link.decider';
import { linkStream } from '../../link-streams';
import { toLinkView } from '../../link-view';
import { LinkingRefused } from '../../linking-refused.error';
import { InvestigationAudit } from './investigation-audit';
import { LinkStateAsOfQuery } from './investigation.queries';
import type { LinkStateAsOfView } from './investigation-views';

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(LinkStateAsOfQuery)
export class LinkStateAsOfHandler implements IQueryHandler<LinkStateAsOfQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly audit: InvestigationAudit,
  ) {}

  async execute({ linkId, at, investigator }: LinkStateAsOfQuery): Promise<LinkStateAsOfView> {
    await this.audit.record(investigator, { record: 'link_state', linkId, at: at.toISOString() });
    const { state, revision } = await aggregateStream(this.store, linkStream(linkId), linkDecider, at);
    if (state.status === 'none') {
      // Not yet then, or never: only a link that exists now can be asked about.
      const [first] = await this.store.readStream(linkStream(linkId), { toRevision: 0 });
      if (!first) throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    return {
      linkId,
      at: at.toISOString(),
      revision: revision ?? null,
      status: state.status,
      link: state.status === 'none' ? null : toLinkView(state),
      state,
    };
  }
}
