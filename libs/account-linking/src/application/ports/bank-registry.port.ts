import type { BankState } from '../../domain/bank/bank.state';

export const BANK_REGISTRY = Symbol('BANK_REGISTRY');

/** A bank's state as its stream `bank-registry-{code}` has it at the moment of the read: no projection, no lag. */
export interface BankRegistry {
  current(bankCode: string): Promise<BankState>;
}
