import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@lib/event-store/event-store.port';
import { debitDecider } from '../../domain/debit/debit.decider';
import { DomainError } from '../../domain/domain-error';
import { instantOf } from '../../domain/time';
import type { BankDebitEvent } from '../commands/record-bank-event/bank-event';
import { recordBankEventRefusal } from '../bank-inbox';
import { LinkingRefused } from '../linking-refused.error';
import { CLOCK, type Clock } from '../ports/clock.port';
import { WrittenCheckpoints } from '../queries/freshness/written-checkpoints';
import { DebitRecords } from './debit-records';
import { debitStream } from './debit-streams';

/**
 * A bank reports what became of a debit it executed (`debit.settled`) or could not (`debit.failed`). Only the
 * bank of the link's account may; a report the debit's state does not allow (it expired, or was reported
 * otherwise) is refused and the refusal kept on the bank's inbox stream, as for a link's webhooks.
 */
@Injectable()
export class DebitReports {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly records: DebitRecords,
    private readonly writes: WrittenCheckpoints,
  ) {}

  async record(bankCode: string, event: BankDebitEvent, metadata: EventMetadata): Promise<void> {
    const { debitId } = event.data;
    const { state } = await aggregateStream(this.store, debitStream(debitId), debitDecider);
    // Another bank's debit is as unknown to this bank as one that does not exist.
    if (state.status === 'none' || state.debit.bankCode !== bankCode) {
      throw new LinkingRefused('debit_not_found', `No debit ${debitId} on an account of bank ${bankCode}`);
    }
    const now = this.clock.now().toISOString();
    try {
      const { append } = await this.records.decide(
        debitId,
        event.type === 'debit.settled'
          ? { type: 'SettleDebit', data: { now, settledAt: instantOf(event.data.settledAt) } }
          : { type: 'FailDebit', data: { now, reason: event.data.reason } },
        metadata,
      );
      if (append) this.writes.record(append.checkpoint, { paymentAppId: state.debit.paymentAppId, bankCode });
    } catch (error) {
      if (error instanceof DomainError) {
        const refusal = { debitId, linkId: state.debit.linkId, bankEventType: event.type, code: error.code };
        await recordBankEventRefusal(this.store, bankCode, refusal, metadata);
      }
      throw error;
    }
  }
}
