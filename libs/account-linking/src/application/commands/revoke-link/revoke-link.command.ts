import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { RevokedBy } from '../../../domain/link/link-events';
import type { LinkView } from '../../link-view';

export class RevokeLinkCommand extends Command<LinkView> {
  constructor(
    readonly linkId: string,
    readonly by: RevokedBy,
    readonly reason: string,
    /** When set, only this payment app's link may be revoked (others are "not found"). */
    readonly paymentAppId: string | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
