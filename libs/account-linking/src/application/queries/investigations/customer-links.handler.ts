import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { toLinkView } from '../../link-view';
import { LINK_READ_MODEL, type LinkReadModel, type Page } from '../../ports/link-read-model.port';
import { type Fresh, settleForReader } from '../freshness/fresh';
import { WrittenCheckpoints } from '../freshness/written-checkpoints';
import { InvestigationAudit } from './investigation-audit';
import { CustomerLinksQuery } from './investigation.queries';
import type { InvestigatedLinkView } from './investigation-views';

// Records the read (InvestigationAudit) before it reads anything: no data leaves unaudited.
@QueryHandler(CustomerLinksQuery)
export class CustomerLinksHandler implements IQueryHandler<CustomerLinksQuery> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    private readonly writes: WrittenCheckpoints,
    private readonly audit: InvestigationAudit,
  ) {}

  async execute({
    customerReference,
    paymentAppId,
    page,
    investigator,
    minCheckpoint,
  }: CustomerLinksQuery): Promise<Fresh<Page<InvestigatedLinkView>>> {
    await this.audit.record(investigator, {
      record: 'customer_links',
      customerReference,
      ...(paymentAppId !== undefined ? { paymentAppId } : {}),
    });
    const { checkpoint } = await settleForReader(this.links, this.writes, 'all', minCheckpoint);
    const found = await this.links.select(
      { customerReference, ...(paymentAppId !== undefined ? { paymentAppId } : {}) },
      page,
    );
    return {
      value: {
        items: found.items.map((state) => ({ ...toLinkView(state), paymentApp: { id: state.link.paymentAppId } })),
        nextCursor: found.nextCursor,
      },
      checkpoint,
    };
  }
}
