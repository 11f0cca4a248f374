import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { BankSuspensionView } from '../../bank-registration-view';

/** An operator lifts a bank's kill switch: new links with it may go ahead again. */
export class LiftBankSuspensionCommand extends Command<BankSuspensionView> {
  constructor(
    readonly bankCode: string,
    readonly reason: string | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
