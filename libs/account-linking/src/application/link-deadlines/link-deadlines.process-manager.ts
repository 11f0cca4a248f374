import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { LinkEvent } from '../../domain/link/link-events';
import { LINK_STREAM_PREFIX } from '../link-streams';
import { LINK_TIMERS, type LinkTimerChange, type LinkTimers } from '../ports/link-timers.port';
import { LINK_DEADLINE_EVENT_TYPES, linkDeadlineWork } from './link-deadline-work';
import { LINK_TIMER_SETTINGS, type LinkTimerSettings } from './link-timer-settings';

/**
 * Keeps each link's deadlines (request expiry, end of cooling-off, dormancy) as durable timers. Run as a projection:
 * the timers are written in the transaction that moves its checkpoint, so no event is lost or applied twice.
 */
@Injectable()
export class LinkDeadlinesProcessManager implements Projection {
  readonly name = 'process-manager:link-deadlines';
  readonly filter = { streamPrefixes: [LINK_STREAM_PREFIX], eventTypes: LINK_DEADLINE_EVENT_TYPES };

  constructor(
    @Inject(LINK_TIMERS) private readonly timers: LinkTimers,
    @Inject(LINK_TIMER_SETTINGS) private readonly settings: Pick<LinkTimerSettings, 'dormancyDays'>,
  ) {}

  async setUp(): Promise<void> {
    // The timer store creates its table when it is built.
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const changes: LinkTimerChange[] = [];
    for (const event of events) {
      const linkEvent = { type: event.type, data: event.data } as LinkEvent;
      const { linkId } = linkEvent.data;
      for (const work of linkDeadlineWork(linkEvent, this.settings)) {
        changes.push(
          work.type === 'schedule'
            ? { type: 'schedule', linkId, kind: work.kind, dueAt: new Date(work.dueAt) }
            : { type: 'cancel', linkId, kinds: work.kinds, at: event.recordedAt },
        );
      }
    }
    if (changes.length > 0) await this.timers.change(tx, changes);
  }

  /** A rebuild keeps the timers: replayed events schedule nothing new, and fired timers stay fired. */
  async reset(): Promise<void> {}
}
