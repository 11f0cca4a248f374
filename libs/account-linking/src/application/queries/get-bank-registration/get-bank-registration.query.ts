import { Query } from '@nestjs/cqrs';
import type { BankRegistrationView } from '../../bank-registration-view';

/** How a bank is set up now; undefined when no bank has this code. */
export class GetBankRegistrationQuery extends Query<BankRegistrationView | undefined> {
  constructor(readonly bankCode: string) {
    super();
  }
}
