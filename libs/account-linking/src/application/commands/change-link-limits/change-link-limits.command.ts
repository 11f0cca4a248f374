import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { DebitLimitsChange } from '../../../domain/link/link-limits.messages';
import type { LinkLimitsView } from '../../link-view';

/** `PUT /v1/links/{id}/limits`: the app changes its link's limits on the customer's behalf (R10). */
export class ChangeLinkLimitsCommand extends Command<LinkLimitsView> {
  constructor(
    readonly linkId: string,
    /** Only this payment app's link may be changed (another's is "not found"). */
    readonly paymentAppId: string,
    readonly change: DebitLimitsChange,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
