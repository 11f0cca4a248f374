import type { KycAttributes } from './kyc-attributes';
import { DEFAULT_KYC_MATCH_RULE, type KycMatchRule, matchKyc } from './kyc-match.policy';

const app: KycAttributes = {
  name: { kanji: '山田 太郎', kana: 'ヤマダ タロウ' },
  birthDate: '1990-01-02',
  phone: '090-1234-5678',
  address: { postalCode: '100-0001', prefecture: '東京都', line: '千代田区千代田1-1' },
};

const bank: KycAttributes = {
  name: { kanji: '山田太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' },
  birthDate: '1990-01-02',
  phone: '+819012345678',
  address: { postalCode: '1000001', prefecture: '東京都', line: '千代田区千代田１丁目１番' },
};

describe('matchKyc', () => {
  it('records a result for every field, not only a yes or no', () => {
    expect(matchKyc(app, bank)).toEqual({
      matched: true,
      fields: [
        { field: 'nameKana', result: 'match' },
        { field: 'nameKanji', result: 'match' },
        { field: 'birthDate', result: 'match' },
        { field: 'phone', result: 'match' },
        { field: 'address', result: 'match' },
      ],
    });
  });

  it('marks a field that one side lacks as not provided', () => {
    const { fields } = matchKyc(app, { ...bank, phone: undefined, name: { kana: bank.name.kana } });
    expect(fields).toContainEqual({ field: 'phone', result: 'not_provided' });
    expect(fields).toContainEqual({ field: 'nameKanji', result: 'not_provided' });
  });

  it('by default matches on birth date and kana name with the phone alone', () => {
    expect(matchKyc(app, { ...bank, address: undefined }).matched).toBe(true);
  });

  it('by default matches on birth date and kana name with the address alone', () => {
    expect(matchKyc(app, { ...bank, phone: '080-0000-0000' }).matched).toBe(true);
  });

  it('by default refuses when neither phone nor address matches', () => {
    expect(matchKyc(app, { ...bank, phone: '080-0000-0000', address: undefined }).matched).toBe(false);
  });

  it('by default refuses a different birth date whatever else matches', () => {
    expect(matchKyc(app, { ...bank, birthDate: '1990-02-01' }).matched).toBe(false);
  });

  it('by default refuses a missing kana name whatever else matches', () => {
    expect(matchKyc(app, { ...bank, name: { kanji: bank.name.kanji } }).matched).toBe(false);
  });

  it('by default lets a kanji mismatch pass when the rule does not ask for kanji', () => {
    const outcome = matchKyc(app, { ...bank, name: { ...bank.name, kanji: '山田太朗' } });
    expect(outcome.matched).toBe(true);
    expect(outcome.fields).toContainEqual({ field: 'nameKanji', result: 'mismatch' });
  });

  it('follows a stricter rule when one is configured', () => {
    const strict: KycMatchRule = { ...DEFAULT_KYC_MATCH_RULE, allOf: ['birthDate', 'nameKana', 'nameKanji'] };
    expect(matchKyc(app, { ...bank, name: { ...bank.name, kanji: '山田太朗' } }, strict).matched).toBe(false);
  });
});
