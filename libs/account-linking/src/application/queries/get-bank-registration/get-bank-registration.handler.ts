import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type BankRegistrationView, toBankRegistrationView } from '../../bank-registration-view';
import { BANK_REGISTRY, type BankRegistry } from '../../ports/bank-registry.port';
import { GetBankRegistrationQuery } from './get-bank-registration.query';

/** From the bank's own stream, so an operator reads back at once what they just changed. */
@QueryHandler(GetBankRegistrationQuery)
export class GetBankRegistrationHandler implements IQueryHandler<GetBankRegistrationQuery> {
  constructor(@Inject(BANK_REGISTRY) private readonly banks: BankRegistry) {}

  async execute({ bankCode }: GetBankRegistrationQuery): Promise<BankRegistrationView | undefined> {
    const state = await this.banks.current(bankCode);
    return state.status === 'registered' ? toBankRegistrationView(state) : undefined;
  }
}
