import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { BankAccountNumber, BankAccountTokens } from '../../application/ports/bank-account-tokens.port';

export class KeyedHashBankAccountTokens implements BankAccountTokens {
  constructor(private readonly hash: KeyedHash) {}

  tokenFor(account: BankAccountNumber): string {
    return this.hash.bankAccountToken(account);
  }
}
