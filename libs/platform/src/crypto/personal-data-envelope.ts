import { PersonalDataDecryptionError } from './personal-data-errors';

/** `pd1.<subjectId>.<iv b64url>.<ciphertext+tag b64url>`: self-describing, so any holder finds the subject's key. */
export interface PersonalDataEnvelope {
  readonly subjectId: string;
  readonly iv: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly sealed: Buffer;
}

const VERSION = 'pd1';
const SUBJECT_ID = /^[A-Za-z0-9_:@-]{1,128}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function assertSubjectId(subjectId: string): void {
  if (!SUBJECT_ID.test(subjectId)) {
    throw new TypeError('A data subject id is 1 to 128 of A-Z a-z 0-9 _ : @ -');
  }
}

export function formatEnvelope({ subjectId, iv, sealed }: PersonalDataEnvelope): string {
  return `${VERSION}.${subjectId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

export function parseEnvelope(value: string): PersonalDataEnvelope {
  const [version, subjectId, iv, sealed, ...rest] = value.split('.');
  if (
    version !== VERSION ||
    subjectId === undefined ||
    !SUBJECT_ID.test(subjectId) ||
    iv === undefined ||
    !BASE64URL.test(iv) ||
    sealed === undefined ||
    !BASE64URL.test(sealed) ||
    rest.length > 0
  ) {
    throw new PersonalDataDecryptionError('Not an encrypted personal data value (pd1)');
  }
  return { subjectId, iv: Buffer.from(iv, 'base64url'), sealed: Buffer.from(sealed, 'base64url') };
}

export function isPersonalDataEnvelope(value: string): boolean {
  try {
    parseEnvelope(value);
    return true;
  } catch {
    return false;
  }
}
