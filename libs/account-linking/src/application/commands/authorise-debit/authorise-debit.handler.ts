import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DebitAuthorisation, type DebitAuthorisationOutcome } from '../../debits/debit-authorisation';
import { AuthoriseDebitCommand } from './authorise-debit.command';

@CommandHandler(AuthoriseDebitCommand)
export class AuthoriseDebitHandler implements ICommandHandler<AuthoriseDebitCommand> {
  constructor(private readonly debits: DebitAuthorisation) {}

  execute({ input, metadata }: AuthoriseDebitCommand): Promise<DebitAuthorisationOutcome> {
    return this.debits.authorise(input, metadata);
  }
}
