/** Identity attributes in plaintext, as the app's eKYC or the bank reported them; they live only in commands. */
export interface KycAttributes {
  name: { kanji?: string; kana?: string };
  /** ISO date, YYYY-MM-DD. */
  birthDate?: string;
  phone?: string;
  address?: PostalAddress;
}

export interface PostalAddress {
  postalCode?: string;
  prefecture?: string;
  line?: string;
}

export type KycField = 'nameKana' | 'nameKanji' | 'birthDate' | 'phone' | 'address';

export type KycFieldOutcome = 'match' | 'mismatch' | 'not_provided';

export interface KycFieldResult {
  field: KycField;
  result: KycFieldOutcome;
}
