import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { LinkEvent } from '../../domain/link/link-events';
import { LINK_STREAM_PREFIX } from '../link-streams';
import {
  NOTIFICATION_OUTBOX,
  type NotificationOutbox,
  type NotificationOutboxChange,
} from '../ports/notification-outbox.port';
import { notificationMessageId } from './notification-message-id';
import { WORK_KINDS } from '../work-kinds';

const EVENT_TYPES = [
  'CustomerNotificationRequested',
  'CustomerNotified',
  'LinkRejected',
  'LinkExpired',
  'LinkRevoked',
] as const satisfies readonly LinkEvent['type'][];

/**
 * R4: once KYC matched and the service is the one to tell the customer, queue the first attempt of the
 * notification; once the customer was told (by us or the bank) or the link ended, drop what still waits.
 * Run as a projection: the outbox rows are written in the transaction that moves its checkpoint.
 */
@Injectable()
export class CustomerNotificationProcessManager implements Projection {
  readonly name = 'process-manager:customer-notification';
  readonly wakes = [WORK_KINDS.customerNotifications];
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: EVENT_TYPES };

  constructor(@Inject(NOTIFICATION_OUTBOX) private readonly outbox: NotificationOutbox) {}

  async setUp(): Promise<void> {
    // The outbox creates its table when it is built.
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const changes: NotificationOutboxChange[] = [];
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as LinkEvent;
      switch (event.type) {
        case 'CustomerNotificationRequested': {
          // The bank tells its customer itself and reports it with `notification.delivered`.
          if (event.data.notifiedBy !== 'service') break;
          const { linkId, at, contact } = event.data;
          changes.push({
            kind: 'enqueue',
            notification: {
              messageId: notificationMessageId(linkId, 1),
              linkId,
              attempt: 1,
              ...(contact ? { sealedContact: contact } : {}),
              requestedAt: new Date(at),
            },
            notBefore: new Date(at),
          });
          break;
        }
        case 'CustomerNotified':
        case 'LinkRejected':
        case 'LinkExpired':
        case 'LinkRevoked':
          changes.push({
            kind: 'cancel',
            linkId: event.data.linkId,
            at: recorded.recordedAt,
            why: `link event ${event.type}`,
          });
          break;
        default:
          break;
      }
    }
    // The batch's changes in as few statements as their order allows.
    if (changes.length > 0) await this.outbox.change(tx, changes);
  }

  /** A rebuild keeps the outbox: a replayed request finds its attempt already queued and sends nothing again. */
  async reset(): Promise<void> {}
}
