import { Inject, Injectable } from '@nestjs/common';
import type { EventMetadata, RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { DebitEvent } from '../../domain/debit/debit.events';
import type { SpendingEvent } from '../../domain/debit/spending.events';
import { DEBIT_EXPIRY_TIMERS, type KeyedTimers } from '../ports/keyed-timers.port';
import { DebitRecords } from './debit-records';
import { DEBIT_STREAM_PREFIX, SPENDING_STREAM_PREFIX } from './debit-streams';

const EVENT_TYPES: readonly (DebitEvent | SpendingEvent)['type'][] = [
  'DebitAmountReserved',
  'DebitAuthorised',
  'DebitSettled',
  'DebitFailed',
  'DebitExpired',
];

const systemMetadata = (recorded: RecordedEvent, occurredAt: string): EventMetadata => ({
  actor: { type: 'system', id: 'debits' },
  correlationId: recorded.metadata.correlationId,
  causationId: recorded.id,
  occurredAt,
});

/**
 * What must follow a debit's events, durably (the request does the first of them inline as a fast path):
 * - an authorisation on the spending stream is recorded on the debit's own stream (same event id);
 * - an authorisation's expiry timer is scheduled, in the checkpoint's transaction, and cancelled once the bank
 *   reported the debit;
 * - a failed or expired authorisation is released from its link's totals.
 * Every effect is idempotent: a replay or a second worker changes nothing.
 */
@Injectable()
export class DebitsProcessManager implements Projection {
  static readonly NAME = 'process-manager:debits';
  readonly name = DebitsProcessManager.NAME;
  readonly filter = { streamPrefixes: [SPENDING_STREAM_PREFIX, DEBIT_STREAM_PREFIX], eventTypes: EVENT_TYPES };

  constructor(
    private readonly records: DebitRecords,
    @Inject(DEBIT_EXPIRY_TIMERS) private readonly timers: KeyedTimers,
  ) {}

  async setUp(): Promise<void> {
    // The timers' table is created when the timers are built.
  }

  async react(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as DebitEvent | SpendingEvent;
      if (event.type === 'DebitAmountReserved') {
        await this.records.ensureAuthorisationRecorded(event.data, systemMetadata(recorded, event.data.at));
      } else if (event.type === 'DebitFailed' || event.type === 'DebitExpired') {
        const reason = event.type === 'DebitFailed' ? 'failed' : 'expired';
        const { linkId, debitId, at } = event.data;
        await this.records.release(linkId, debitId, reason, at, systemMetadata(recorded, at));
      }
    }
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as DebitEvent | SpendingEvent;
      switch (event.type) {
        case 'DebitAuthorised':
          await this.timers.schedule(tx, event.data.debitId, event.data.linkId, new Date(event.data.expiresAt));
          break;
        case 'DebitSettled':
        case 'DebitFailed':
        case 'DebitExpired':
          await this.timers.cancel(tx, event.data.debitId, new Date(event.data.at));
          break;
        default:
          break;
      }
    }
  }

  /** A rebuild replays into streams and timers that ignore what they have seen. */
  async reset(): Promise<void> {}
}
