import type { BankLinkPolicy } from '../../domain/link/bank-link-policy';

export const BANK_DIRECTORY = Symbol('BANK_DIRECTORY');

export interface BankProfile {
  code: string;
  name: string;
  policy: BankLinkPolicy;
  /** The kill switch (R7). */
  suspended: boolean;
}

export interface BankDirectory {
  find(bankCode: string): Promise<BankProfile | undefined>;
}
