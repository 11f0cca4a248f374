import { compareKycFields } from './kyc-match.policy';
import type { KycAttributes, KycField, PostalAddress } from './kyc-attributes';
import vectors from './testing/kyc-match-vectors.json';

interface Vector<Value> {
  app: Value;
  bank: Value;
  match: boolean;
  why: string;
}

const attributesWith: { [Field in KycField]: (value: never) => KycAttributes } = {
  nameKana: (kana: string) => ({ name: { kana } }),
  nameKanji: (kanji: string) => ({ name: { kanji } }),
  birthDate: (birthDate: string) => ({ name: {}, birthDate }),
  phone: (phone: string) => ({ name: {}, phone }),
  address: (address: PostalAddress) => ({ name: {}, address }),
};

const cases = <Value>(field: KycField, fieldVectors: readonly Vector<Value>[]) =>
  fieldVectors.map((vector) => ({ field, ...vector }));

const allVectors = [
  ...cases('nameKana', vectors.fields.nameKana),
  ...cases('nameKanji', vectors.fields.nameKanji),
  ...cases('birthDate', vectors.fields.birthDate),
  ...cases('phone', vectors.fields.phone),
  ...cases('address', vectors.fields.address),
];

describe('the dual KYC match against the shared vectors (DOMAIN.md R3)', () => {
  it.each(allVectors)('$field: $why', ({ field, app, bank, match }) => {
    const toAttributes = attributesWith[field] as (value: typeof app) => KycAttributes;
    const result = compareKycFields(toAttributes(app), toAttributes(bank)).find((outcome) => outcome.field === field);
    expect(result).toEqual({ field, result: match ? 'match' : 'mismatch' });
  });

  it('covers every field the vectors name', () => {
    expect(new Set(allVectors.map((vector) => vector.field))).toEqual(new Set(Object.keys(vectors.fields)));
  });
});
