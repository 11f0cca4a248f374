/** A Japanese bank account as the Zengin system identifies it. */
export interface BankAccountIdentity {
  readonly bankCode: string;
  readonly branchCode: string;
  readonly type: string;
  readonly number: string;
}

export class InvalidBankAccountError extends Error {
  override readonly name = 'InvalidBankAccountError';
}

// Spaces, hyphens and dashes people type between digit groups, after NFKC has folded full-width forms.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc]/g;

/**
 * One spelling per account, so the same account always gives the same token: full-width digits folded,
 * separators dropped, codes zero-padded to 4 (bank), 3 (branch) and 7 (number) digits, type lower-cased.
 */
export function canonicalBankAccount(account: BankAccountIdentity): string {
  const bankCode = digits(account.bankCode, 4, 'bank code');
  const branchCode = digits(account.branchCode, 3, 'branch code');
  const number = digits(account.number, 7, 'account number');
  const type = account.type.normalize('NFKC').trim().toLowerCase();
  if (!/^[a-z_]+$/.test(type)) throw new InvalidBankAccountError('The account type must be a word such as ordinary');
  return `${bankCode}:${branchCode}:${type}:${number}`;
}

function digits(value: string, width: number, what: string): string {
  const folded = value.normalize('NFKC').replace(SEPARATORS, '');
  if (!/^\d+$/.test(folded) || folded.length > width) {
    throw new InvalidBankAccountError(`The ${what} must be at most ${width} digits`);
  }
  return folded.padStart(width, '0');
}
