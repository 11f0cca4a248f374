import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream, type HandledCommand, handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import type { DebitCommand } from '../../domain/debit/debit.commands';
import { debitDecider } from '../../domain/debit/debit.decider';
import type { DebitEvent } from '../../domain/debit/debit.events';
import type { DebitState } from '../../domain/debit/debit.state';
import type { DebitAmountReserved } from '../../domain/debit/spending.events';
import { spendingDecider } from '../../domain/debit/spending.decider';
import { debitRecordEventId, debitStream, spendingStream } from './debit-streams';

/** Writes to the debits' streams and to the links' spending streams, each decided with its expected revision. */
@Injectable()
export class DebitRecords {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  decide(
    debitId: string,
    command: DebitCommand,
    metadata: EventMetadata,
  ): Promise<HandledCommand<DebitState, DebitEvent>> {
    return handleCommand(this.store, debitStream(debitId), debitDecider, command, metadata);
  }

  /**
   * The debit's stream records the authorisation its spending stream made, with the event id the request used:
   * whether the request wrote it already or not, one event results.
   */
  async ensureAuthorisationRecorded(reserved: DebitAmountReserved['data'], metadata: EventMetadata): Promise<void> {
    const { day: _day, month: _month, ...debit } = reserved;
    try {
      await this.store.appendToStream(
        debitStream(debit.debitId),
        [{ id: debitRecordEventId(debit.debitId), type: 'DebitAuthorised', data: debit, metadata }],
        'no_stream',
      );
    } catch (error) {
      // Written already (by the request, or by an earlier pass): nothing to do.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }

  /** When the link's last debit was authorised (its last use, for dormancy); undefined when never. */
  async lastAuthorisedAt(linkId: string): Promise<string | undefined> {
    return (await aggregateStream(this.store, spendingStream(linkId), spendingDecider)).state.lastAuthorisedAt;
  }

  /** A failed or expired authorisation stops counting towards its link's limits; a second release is a no-op. */
  async release(
    linkId: string,
    debitId: string,
    reason: 'expired' | 'failed',
    now: string,
    metadata: EventMetadata,
  ): Promise<void> {
    await handleCommand(
      this.store,
      spendingStream(linkId),
      spendingDecider,
      { type: 'ReleaseDebitAmount', data: { now, linkId, debitId, reason } },
      metadata,
      { maxAttempts: 40 },
    );
  }
}
