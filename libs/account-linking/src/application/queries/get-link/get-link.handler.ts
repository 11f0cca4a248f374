import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { linkDecider } from '../../../domain/link/link.decider';
import { linkStream } from '../../link-streams';
import { LinkingRefused } from '../../linking-refused.error';
import { type LinkView, toLinkView } from '../../link-view';
import { GetLinkQuery } from './get-link.query';

/** Reads one link by replaying its stream (the read models of the query side are not built yet). */
@QueryHandler(GetLinkQuery)
export class GetLinkHandler implements IQueryHandler<GetLinkQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ linkId, paymentAppId }: GetLinkQuery): Promise<LinkView> {
    const { state } = await aggregateStream(this.store, linkStream(linkId), linkDecider);
    if (state.status === 'none' || (paymentAppId && state.link.paymentAppId !== paymentAppId)) {
      throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    return toLinkView(state);
  }
}
