import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { BankProfile } from '../../ports/bank-directory.port';
import type { BankEvent } from './bank-event';

/** A verified, first-seen webhook from a bank, to be applied to the link it names. */
export class RecordBankEventCommand extends Command<void> {
  constructor(
    readonly bankCode: string,
    readonly event: BankEvent,
    readonly metadata: EventMetadata,
    /** The bank as the webhook's verification read it: the event is handled on it, not on a second read. */
    readonly bank?: BankProfile,
  ) {
    super();
  }
}
