import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';

export interface BankLinksSuspensionResult {
  bankCode: string;
  /** Links whose status changed. */
  changed: number;
  /** Links that refused the change (their state moved on meanwhile): named, so nothing is silently skipped. */
  refused: { linkId: string; code: string }[];
}

/** R7: an operator suspends every active link of a bank at once (`suspend`), or reinstates every suspended one. */
export class BankLinksSuspensionCommand extends Command<BankLinksSuspensionResult> {
  constructor(
    readonly bankCode: string,
    readonly action: 'suspend' | 'reinstate',
    readonly reason: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
