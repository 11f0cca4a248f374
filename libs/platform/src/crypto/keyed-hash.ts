import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { type BankAccountIdentity, canonicalBankAccount } from './bank-account-canonical';
import { secretKeyBytes } from './secret-key-bytes';
import { canonicalSourceAddress } from './source-address-canonical';

const LOG_HASH_CHARS = 16;

/**
 * HMAC-SHA256 under a pepper kept apart from the data: equal inputs give equal tokens (for lookups and
 * correlation) while a token cannot be reversed by trying every account number without the pepper.
 */
export class KeyedHash {
  /** A KeyObject, made once: an HMAC under a Buffer key costs several times more (Node checks the key each time). */
  private readonly pepper: KeyObject;

  constructor(pepperBase64: string) {
    this.pepper = createSecretKey(secretKeyBytes(pepperBase64, 'keyed hash pepper', { atLeast: 32 }));
  }

  /** `bat_…`: the lookup token of a bank account, whatever spelling it came in. */
  bankAccountToken(account: BankAccountIdentity): string {
    return `bat_${this.digest('bank_account', canonicalBankAccount(account))}`;
  }

  /** `sah_…`: a client IP address as kept on event metadata. */
  sourceAddressHash(address: string): string {
    return `sah_${this.digest('source_address', canonicalSourceAddress(address))}`;
  }

  /** `lh_…`: a short pseudonym that lets log lines about the same value be correlated. */
  hashForLogs(value: string): string {
    return `lh_${this.digest('log', value).slice(0, LOG_HASH_CHARS)}`;
  }

  /** Base64url HMAC of `value`; `purpose` separates domains so one value hashes differently per use. */
  digest(purpose: string, value: string): string {
    return createHmac('sha256', this.pepper).update(`${purpose}\u0000${value}`, 'utf8').digest('base64url');
  }
}
