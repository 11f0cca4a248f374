import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The number in E.164 (`+818012345678`), read as Japanese unless it says otherwise; undefined if unreadable. */
export const normalisePhoneNumber = (text: string): string | undefined =>
  parsePhoneNumberFromString(text.normalize('NFKC'), 'JP')?.number;
