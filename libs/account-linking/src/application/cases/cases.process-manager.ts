import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@lib/event-store/event-store.port';
import type { Projection } from '@lib/event-store/projections/projection';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import type { CaseEvent } from '../../domain/case/case.events';
import { CASE_OVERDUE_TIMERS, type KeyedTimers } from '../ports/keyed-timers.port';
import { CASE_STREAM_PREFIX } from './case-streams';

const EVENT_TYPES: readonly CaseEvent['type'][] = [
  'CaseOpened',
  'CaseDecisionAgreed',
  'CaseDecidedByOperator',
  'CaseBecameOverdue',
];

/**
 * A case's deadline, durably: its `respondBy` timer is scheduled in the checkpoint's transaction when it opens
 * and cancelled once it is decided (or marked overdue). Scheduling and cancelling again change nothing.
 */
@Injectable()
export class CasesProcessManager implements Projection {
  static readonly NAME = 'process-manager:cases';
  readonly name = CasesProcessManager.NAME;
  readonly filter = { streamPrefixes: [CASE_STREAM_PREFIX], eventTypes: EVENT_TYPES };

  constructor(@Inject(CASE_OVERDUE_TIMERS) private readonly timers: KeyedTimers) {}

  async setUp(): Promise<void> {
    // The timers' table is created when the timers are built.
  }

  async react(): Promise<void> {
    // Only timers, written in `apply`.
  }

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as CaseEvent;
      switch (event.type) {
        case 'CaseOpened':
          await this.timers.schedule(tx, event.data.caseId, event.data.linkId, new Date(event.data.respondBy));
          break;
        case 'CaseDecisionAgreed':
        case 'CaseDecidedByOperator':
        case 'CaseBecameOverdue':
          await this.timers.cancel(tx, event.data.caseId, new Date(event.data.at));
          break;
        default:
          break;
      }
    }
  }

  async reset(): Promise<void> {}
}
