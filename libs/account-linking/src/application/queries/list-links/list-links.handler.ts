import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LinkSignalsReader } from '../../actor-defences/link-signals';
import { type LinkView, toLinkView } from '../../link-view';
import { LINK_READ_MODEL, type LinkReadModel, type Page } from '../../ports/link-read-model.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { ListLinksQuery } from './list-links.query';

@QueryHandler(ListLinksQuery)
export class ListLinksHandler implements IQueryHandler<ListLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly writes: WrittenCheckpoints,
    private readonly signals: LinkSignalsReader,
  ) {}

  async execute({ paymentAppId, filter, page, minCheckpoint }: ListLinksQuery): Promise<Fresh<Page<LinkView>>> {
    const { checkpoint } = await settleForReader(this.links, this.writes, { paymentAppId }, minCheckpoint);
    // The app's own id is always part of the selection: no filter can reach another app's links.
    const found = await this.links.select({ ...filter, paymentAppId }, page);
    const items = await this.signals.withSignals(found.items.map((state) => ({ state, view: toLinkView(state) })));
    return { value: { items, nextCursor: found.nextCursor }, checkpoint };
  }
}
