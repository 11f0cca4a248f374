import { normaliseKanaName } from '@lib/account-linking/domain/kyc/kana-name.normaliser';
import { toZenginKana } from './zengin-kana';

describe('Zengin kana, as Sandbox Bank writes names', () => {
  it.each([
    ['ヤマダ タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['チョウ シュンスケ', 'ﾁﾖｳ ｼﾕﾝｽｹ'],
    ['ジョーンズ ケイト', 'ｼﾞﾖ-ﾝｽﾞ ｹｲﾄ'],
    ['たなか いちろう', 'ﾀﾅｶ ｲﾁﾛｳ'],
    ['ブラウン・エマ', 'ﾌﾞﾗｳﾝ ｴﾏ'],
  ])('writes %s as %s', (name, zengin) => {
    expect(toZenginKana(name)).toBe(zengin);
  });

  it('still matches the original under the KYC normaliser', () => {
    for (const name of ['ヤマダ タロウ', 'キッカワ マサル', 'ポール・スミス']) {
      expect(normaliseKanaName(toZenginKana(name))).toBe(normaliseKanaName(name));
    }
  });
});
