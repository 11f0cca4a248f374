import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { BankLinkPolicy } from '../../../domain/link/bank-link-policy';
import type { BankRegistrationView } from '../../bank-registration-view';

export interface RegisterBankResult {
  bank: BankRegistrationView;
  /** The bank was new (201), rather than updated or already so (200). */
  created: boolean;
}

/** An operator (or the sandbox seeder) registers a bank, or replaces its name and linking policy. */
export class RegisterBankCommand extends Command<RegisterBankResult> {
  constructor(
    readonly bankCode: string,
    readonly name: string,
    readonly policy: BankLinkPolicy,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
