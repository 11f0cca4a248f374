import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LinkCommandRunner } from '../../link-command-runner';
import { type LinkView, toLinkView } from '../../link-view';
import { LINK_READ_MODEL, type LinkReadModel, type Page } from '../../ports/link-read-model.port';
import { type Fresh, READ_MODEL_WAIT_MS } from '../freshness/fresh';
import { laterCheckpoint } from '../freshness/written-checkpoints';
import { ListLinksQuery } from './list-links.query';

@QueryHandler(ListLinksQuery)
export class ListLinksHandler implements IQueryHandler<ListLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({ paymentAppId, filter, page, minCheckpoint }: ListLinksQuery): Promise<Fresh<Page<LinkView>>> {
    const written = this.runner.writes.forPaymentApp(paymentAppId);
    const checkpoint = await this.links.settle(laterCheckpoint(minCheckpoint, written), READ_MODEL_WAIT_MS);
    // The app's own id is always part of the selection: no filter can reach another app's links.
    const found = await this.links.select({ ...filter, paymentAppId }, page);
    return { value: { items: found.items.map(toLinkView), nextCursor: found.nextCursor }, checkpoint };
  }
}
