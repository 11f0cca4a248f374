import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { LinkView } from '../../link-view';

/** R9: a payment app asks to bind one of its active links to another device of its user. */
export class RequestDeviceRebindingCommand extends Command<LinkView> {
  constructor(
    readonly linkId: string,
    readonly deviceId: string,
    /** Only this payment app's link may be re-bound (another app's is "not found"). */
    readonly paymentAppId: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
