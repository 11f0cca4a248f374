import type { Checkpoint } from '@lib/event-store/event-store.port';
import { Query } from '@nestjs/cqrs';
import type { LinkView } from '../../link-view';
import type { ExistingLinkStatus, Page, PageRequest } from '../../ports/link-read-model.port';
import type { Fresh } from '../freshness/fresh';

/** `GET /v1/links`: a payment app's own links, newest first. */
export class ListLinksQuery extends Query<Fresh<Page<LinkView>>> {
  constructor(
    readonly paymentAppId: string,
    readonly filter: { customerReference?: string; status?: ExistingLinkStatus },
    readonly page: PageRequest,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}
