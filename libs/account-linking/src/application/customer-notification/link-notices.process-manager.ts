import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { LinkDeviceRebound } from '../../domain/link/link-events';
import { LINK_STREAM_PREFIX } from '../link-streams';
import { LINK_NOTICE_OUTBOX, type LinkNoticeOutbox } from '../ports/link-notice-outbox.port';
import { WORK_KINDS } from '../work-kinds';

/** One id per event told of, the same on every replay, revealing nothing of the link or the event. */
export const linkNoticeMessageId = (eventId: string): string =>
  `ntf_${createHash('sha256').update(`link-notice\u0000${eventId}`).digest('base64url').slice(0, 32)}`;

/**
 * R9 with R4 and R13: once a link is bound to another device, queue the notice to the customer at the contact
 * registered at the bank, where the service is the one to tell them (the bank's policy, recorded on the
 * event; where the bank tells its customers itself, it learns of the re-binding by `link.device_rebound`).
 * Run as a projection: the outbox row is written in the transaction that moves its checkpoint.
 */
@Injectable()
export class LinkNoticesProcessManager implements Projection {
  readonly name = 'process-manager:link-notices';
  readonly wakes = [WORK_KINDS.linkNotices];
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: ['LinkDeviceRebound'] };

  constructor(@Inject(LINK_NOTICE_OUTBOX) private readonly outbox: LinkNoticeOutbox) {}

  async setUp(): Promise<void> {
    // The outbox creates its table when it is built.
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      if (recorded.type !== 'LinkDeviceRebound') continue;
      const { linkId, at, customerNotifiedBy } = recorded.data as LinkDeviceRebound['data'];
      if (customerNotifiedBy !== 'service') continue;
      await this.outbox.enqueue(
        tx,
        { messageId: linkNoticeMessageId(recorded.id), linkId, kind: 'device_rebound', occurredAt: new Date(at) },
        new Date(at),
      );
    }
  }

  /** A rebuild keeps the outbox: a replayed event finds its notice already queued and sends nothing again. */
  async reset(): Promise<void> {}
}
