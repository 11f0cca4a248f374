import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/domain-error';
import type { LinkLimitsView } from '../../link-view';
import type { Fresh } from '../freshness/fresh';
import { GetLinkQuery } from '../get-link/get-link.query';
import { GetLinkLimitsQuery } from './get-link-limits.query';

/**
 * The link's limits as its read (GetLinkQuery) shows them, with the same freshness; a link that has no limits
 * (it is not, or no longer, active or suspended) is `link_not_active`.
 */
@QueryHandler(GetLinkLimitsQuery)
export class GetLinkLimitsHandler implements IQueryHandler<GetLinkLimitsQuery> {
  constructor(private readonly queries: QueryBus) {}

  async execute({ linkId, paymentAppId, minCheckpoint }: GetLinkLimitsQuery): Promise<Fresh<LinkLimitsView>> {
    const { value: link, checkpoint } = await this.queries.execute(
      new GetLinkQuery(linkId, paymentAppId, minCheckpoint),
    );
    if (!link.limits) {
      throw new DomainError('link_not_active', `Link ${linkId} is ${link.status}: it has no limits`);
    }
    return { value: link.limits, checkpoint };
  }
}
