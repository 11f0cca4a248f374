import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import type { ExistingLinkState } from '../../../domain/link/link-state';
import { linkDecider } from '../../../domain/link/link.decider';
import { LinkSignalsReader } from '../../actor-defences/link-signals';
import { linkStream } from '../../link-streams';
import { type LinkView, toLinkView } from '../../link-view';
import { LinkingRefused } from '../../linking-refused.error';
import { LINK_READ_MODEL, type LinkReadModel } from '../../ports/link-read-model.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { GetLinkQuery } from './get-link.query';

/**
 * Reads one link from the links read model once it reflects the caller's own writes made here. When the read
 * model is still behind those writes after the wait (a slow worker, a long transaction on the server holding
 * the log's visibility horizon), the link's own events answer instead: never an older state than the caller wrote.
 */
@QueryHandler(GetLinkQuery)
export class GetLinkHandler implements IQueryHandler<GetLinkQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writes: WrittenCheckpoints,
    private readonly signals: LinkSignalsReader,
  ) {}

  async execute({ linkId, paymentAppId, minCheckpoint }: GetLinkQuery): Promise<Fresh<LinkView>> {
    const scope = paymentAppId ? { paymentAppId } : 'all';
    const { required, checkpoint } = await settleForReader(this.links, this.writes, scope, minCheckpoint);
    const behind = required !== undefined && (checkpoint === undefined || checkpoint < required);
    const state = behind ? await this.fromEvents(linkId) : await this.links.find(linkId);
    if (!state || (paymentAppId && state.link.paymentAppId !== paymentAppId)) {
      throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    const view = await this.signals.withSignalsOf(state, toLinkView(state));
    return { value: view, checkpoint: behind ? required : checkpoint };
  }

  private async fromEvents(linkId: string): Promise<ExistingLinkState | undefined> {
    const { state } = await aggregateStream(this.store, linkStream(linkId), linkDecider);
    return state.status === 'none' ? undefined : state;
  }
}
