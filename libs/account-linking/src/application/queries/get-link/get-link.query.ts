import { Query } from '@nestjs/cqrs';
import type { LinkView } from '../../link-view';

export class GetLinkQuery extends Query<LinkView> {
  constructor(
    readonly linkId: string,
    /** When set, another app's link is reported as not found. */
    readonly paymentAppId: string | undefined,
  ) {
    super();
  }
}
