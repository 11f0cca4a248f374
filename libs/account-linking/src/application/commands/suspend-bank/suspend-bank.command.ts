import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { BankSuspensionView } from '../../bank-registration-view';

/** An operator pulls a bank's kill switch: new links with it are refused from now on. */
export class SuspendBankCommand extends Command<BankSuspensionView> {
  constructor(
    readonly bankCode: string,
    readonly reason: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
