export const BANK_ACCOUNT_TOKENS = Symbol('BANK_ACCOUNT_TOKENS');

export interface BankAccountNumber {
  bankCode: string;
  branchCode: string;
  type: string;
  number: string;
}

/** A keyed hash of the account: how the service finds an account again without storing its number. */
export interface BankAccountTokens {
  tokenFor(account: BankAccountNumber): string;
}
