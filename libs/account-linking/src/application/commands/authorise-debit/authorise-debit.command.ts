import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';
import type { AuthoriseDebitInput, DebitAuthorisationOutcome } from '../../debits/debit-authorisation';

/** `POST /v1/links/{id}/debits`: authorise a debit or record why not. */
export class AuthoriseDebitCommand extends Command<DebitAuthorisationOutcome> {
  constructor(
    readonly input: AuthoriseDebitInput,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
