import type { Checkpoint } from '@lib/event-store/event-store.port';
import { Query } from '@nestjs/cqrs';
import type { LinkLimitsView } from '../../link-view';
import type { Fresh } from '../freshness/fresh';

/** `GET /v1/links/{id}/limits`: the limits of one of the app's links. */
export class GetLinkLimitsQuery extends Query<Fresh<LinkLimitsView>> {
  constructor(
    readonly linkId: string,
    /** Another app's link is reported as not found. */
    readonly paymentAppId: string,
    readonly minCheckpoint?: Checkpoint,
  ) {
    super();
  }
}
