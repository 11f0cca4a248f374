export type BankAccountType = 'ordinary' | 'current' | 'savings';

/** A bank account as the domain sees it: the number itself never appears, only its keyed hash and last digits. */
export interface BankAccount {
  /** 4-digit 金融機関コード. */
  bankCode: string;
  /** 3-digit 支店コード. */
  branchCode: string;
  type: BankAccountType;
  /** Keyed hash of bank, branch, type and number, computed outside the domain: the account's lookup key. */
  accountToken: string;
  last4: string;
}
