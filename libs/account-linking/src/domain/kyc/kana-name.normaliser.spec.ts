import fc from 'fast-check';
import { normaliseKanaName } from './kana-name.normaliser';

const codePoints = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, offset) => String.fromCodePoint(from + offset));

const HIRAGANA = [...codePoints(0x3041, 0x3096), 'ゝ', 'ゞ'];
const toKatakanaByCodePoint = (hiragana: string): string =>
  [...hiragana].map((char) => String.fromCodePoint((char.codePointAt(0) ?? 0) + 0x60)).join('');

const HALF_WIDTH_KATAKANA = codePoints(0xff66, 0xff9d);
const HALF_WIDTH_SOUND_MARKS = ['\uFF9E', '\uFF9F'];
// Each full-width katakana with its half-width spelling, voiced ones (ガ → ｶﾞ) included.
const FULL_AND_HALF_WIDTH: readonly (readonly [string, string])[] = HALF_WIDTH_KATAKANA.flatMap((half) => {
  const full = half.normalize('NFKC');
  const voiced = HALF_WIDTH_SOUND_MARKS.map((mark) => [`${half}${mark}`.normalize('NFKC'), `${half}${mark}`] as const);
  return [[full, half] as const, ...voiced.filter(([composed]) => composed.length === 1)];
});

const SEPARATORS = [' ', '\u3000', '・', '･', '·', '  '];
const KANA_LIKE = [
  ...HIRAGANA,
  ...HIRAGANA.map(toKatakanaByCodePoint),
  ...HALF_WIDTH_KATAKANA,
  ...HALF_WIDTH_SOUND_MARKS,
  '\u3099',
  '\u309A',
  '゛',
  '゜',
  'ー',
  '-',
  '−',
  'ｰ',
];
const kanaLikeName = fc.string({ unit: fc.constantFrom(...KANA_LIKE), maxLength: 20 });

describe('normaliseKanaName', () => {
  it.each([
    ['ﾀﾅｶ ｲﾁﾛｳ', 'タナカイチロウ'],
    ['たなか いちろう', 'タナカイチロウ'],
    ['タナカ　イチロウ', 'タナカイチロウ'],
    ['チョウ シュンスケ', 'チヨウシユンスケ'],
    ['キッカワ', 'キツカワ'],
    ['ヴァイオリン', 'ヴアイオリン'],
    ['ブラウン・エマ', 'ブラウンエマ'],
    ['ジョーンズ', 'ジヨーンズ'],
    ['ｼﾞﾖ-ﾝｽﾞ', 'ジヨーンズ'],
    ['ジヨ−ンズ', 'ジヨーンズ'],
    ['ジヨ‐ンズ', 'ジヨーンズ'],
    ['ジヨ—ンズ', 'ジヨーンズ'],
    ['カ\u3099ン', 'ガン'],
    ['カ゛ン', 'ガン'],
    ['ｶﾞﾝ', 'ガン'],
    ['ㇰ', 'ク'],
  ])('reads %s as %s', (name, expected) => {
    expect(normaliseKanaName(name)).toBe(expected);
  });

  it('keeps different names apart', () => {
    expect(normaliseKanaName('タナカ イチロウ')).not.toBe(normaliseKanaName('タカナ イチロウ'));
    expect(normaliseKanaName('イトウ サクラ')).not.toBe(normaliseKanaName('イトウ サクラコ'));
    expect(normaliseKanaName('カン')).not.toBe(normaliseKanaName('ガン'));
  });

  it('is idempotent on kana-like names', () => {
    fc.assert(
      fc.property(kanaLikeName, (name) => {
        const once = normaliseKanaName(name);
        expect(normaliseKanaName(once)).toBe(once);
      }),
    );
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        const once = normaliseKanaName(text);
        expect(normaliseKanaName(once)).toBe(once);
      }),
    );
  });

  it('reads the hiragana and katakana spellings of a name alike', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...HIRAGANA), minLength: 1, maxLength: 20 }), (hiragana) => {
        expect(normaliseKanaName(hiragana)).toBe(normaliseKanaName(toKatakanaByCodePoint(hiragana)));
      }),
    );
  });

  it('reads the half-width and full-width spellings of a name alike', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FULL_AND_HALF_WIDTH), { minLength: 1, maxLength: 20 }), (pairs) => {
        const fullWidth = pairs.map(([full]) => full).join('');
        const halfWidth = pairs.map(([, half]) => half).join('');
        expect(normaliseKanaName(halfWidth)).toBe(normaliseKanaName(fullWidth));
      }),
    );
  });

  it('ignores spaces and middle dots wherever they are put', () => {
    const insertion = fc.record({ at: fc.nat(), separator: fc.constantFrom(...SEPARATORS) });
    fc.assert(
      fc.property(kanaLikeName, fc.array(insertion, { maxLength: 5 }), (name, insertions) => {
        const units = [...name];
        for (const { at, separator } of insertions) units.splice(at % (units.length + 1), 0, separator);
        expect(normaliseKanaName(units.join(''))).toBe(normaliseKanaName(name));
      }),
    );
  });
});
