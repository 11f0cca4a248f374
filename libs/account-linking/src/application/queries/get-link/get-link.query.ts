import type { Checkpoint } from '@lib/event-store/event-store.port';
import { Query } from '@nestjs/cqrs';
import type { LinkView } from '../../link-view';
import type { Fresh } from '../freshness/fresh';

export class GetLinkQuery extends Query<Fresh<LinkView>> {
  constructor(
    readonly linkId: string,
    /** When set, another app's link is reported as not found. */
    readonly paymentAppId: string | undefined,
    /** Answer from a read model at least this far (`X-Min-Checkpoint`). */
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}
