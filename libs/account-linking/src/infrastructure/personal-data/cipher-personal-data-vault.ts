import { ErasedPersonalData } from '@lib/platform/crypto/erased-personal-data';
import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import type { PersonalDataVault } from '../../application/ports/personal-data-vault.port';

/** AES-256-GCM per data subject (platform cipher); the subject id is a keyed hash of app and customer. */
export class CipherPersonalDataVault implements PersonalDataVault {
  constructor(
    private readonly cipher: PersonalDataCipher,
    private readonly hash: KeyedHash,
  ) {}

  subjectFor(paymentAppId: string, customerReference: string): string {
    return `sub_${this.hash.digest('data-subject', `${paymentAppId}\u0000${customerReference}`)}`;
  }

  seal(subjectId: string, value: unknown): Promise<string> {
    return this.cipher.encryptJson(subjectId, value);
  }

  async open<T>(sealed: string): Promise<T | undefined> {
    const opened = await this.cipher.decryptJson<T>(sealed);
    return opened instanceof ErasedPersonalData ? undefined : opened;
  }
}
