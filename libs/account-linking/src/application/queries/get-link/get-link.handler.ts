import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LinkCommandRunner } from '../../link-command-runner';
import { type LinkView, toLinkView } from '../../link-view';
import { LinkingRefused } from '../../linking-refused.error';
import { LINK_READ_MODEL, type LinkReadModel } from '../../ports/link-read-model.port';
import { type Fresh, READ_MODEL_WAIT_MS } from '../freshness/fresh';
import { laterCheckpoint } from '../freshness/written-checkpoints';
import { GetLinkQuery } from './get-link.query';

/** Reads one link from the links read model, once it reflects the caller's own writes made here. */
@QueryHandler(GetLinkQuery)
export class GetLinkHandler implements IQueryHandler<GetLinkQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({ linkId, paymentAppId, minCheckpoint }: GetLinkQuery): Promise<Fresh<LinkView>> {
    const written = paymentAppId ? this.runner.writes.forPaymentApp(paymentAppId) : this.runner.writes.latest();
    const checkpoint = await this.links.settle(laterCheckpoint(minCheckpoint, written), READ_MODEL_WAIT_MS);
    const state = await this.links.find(linkId);
    if (!state || (paymentAppId && state.link.paymentAppId !== paymentAppId)) {
      throw new LinkingRefused('link_not_found', `No link ${linkId}`);
    }
    return { value: toLinkView(state), checkpoint };
  }
}
