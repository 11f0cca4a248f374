import { ErasedPersonalData } from '@lib/platform/crypto/erased-personal-data';
import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import { PersonalDataCipher as Cipher } from '@lib/platform/crypto/personal-data-cipher';
import type { PersonalDataState, PersonalDataVault } from '../../application/ports/personal-data-vault.port';

/** Subjects of this vault (customers); the same cipher also seals banks' and endpoints' secrets, which are not personal. */
const SUBJECT_PREFIX = 'sub_';

/** AES-256-GCM per data subject (platform cipher); the subject id is a keyed hash of app and customer. */
export class CipherPersonalDataVault implements PersonalDataVault {
  constructor(
    private readonly cipher: Cipher,
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

  async personalDataIn(value: unknown): Promise<PersonalDataState> {
    const subjects = [...Cipher.subjectsIn(value)].filter((subject) => subject.startsWith(SUBJECT_PREFIX));
    if (subjects.length === 0) return 'none';
    const erased = await Promise.all(subjects.map((subject) => this.cipher.erasedAt(subject)));
    return erased.some((at) => at !== undefined) ? 'erased' : 'sealed';
  }

  erase(subjectId: string, at: Date): Promise<Date> {
    return this.cipher.erase(subjectId, at);
  }

  erasedAtBeforeSealing(subjectId: string): Promise<Date | undefined> {
    return this.cipher.erasedAtBeforeSealing(subjectId);
  }

  erasedAt(subjectId: string): Promise<Date | undefined> {
    return this.cipher.erasedAt(subjectId);
  }
}
