import { toKatakana } from 'wanakana';
import { NAME_SEPARATORS } from './name-separators';

// Standalone (spacing) sound marks become combining ones, so NFKC composes them instead of adding a space.
const SPACING_SOUND_MARKS: Readonly<Record<string, string>> = { '\u309B': '\u3099', '\u309C': '\u309A' };

// The Zengin character set has no small kana, so bank records carry the large ones.
export const SMALL_TO_LARGE_KANA: Readonly<Record<string, string>> = {
  ァ: 'ア',
  ィ: 'イ',
  ゥ: 'ウ',
  ェ: 'エ',
  ォ: 'オ',
  ッ: 'ツ',
  ャ: 'ヤ',
  ュ: 'ユ',
  ョ: 'ヨ',
  ヮ: 'ワ',
  ヵ: 'カ',
  ヶ: 'ケ',
  ㇰ: 'ク',
  ㇱ: 'シ',
  ㇲ: 'ス',
  ㇳ: 'ト',
  ㇴ: 'ヌ',
  ㇵ: 'ハ',
  ㇶ: 'ヒ',
  ㇷ: 'フ',
  ㇸ: 'ヘ',
  ㇹ: 'ホ',
  ㇺ: 'ム',
  ㇻ: 'ラ',
  ㇼ: 'リ',
  ㇽ: 'ル',
  ㇾ: 'レ',
  ㇿ: 'ロ',
};

const SPACING_SOUND_MARK = /[\u309B\u309C]/g;
const SMALL_KANA = /[ァィゥェォッャュョヮヵヶ\u31F0-\u31FF]/g;
// ー and the dashes people and bank systems type for it (ASCII hyphen, figure/en/em dashes, minus, box line).
const LONG_VOWEL_MARK_VARIANTS = /[-\u2010-\u2015\u2212\u2500\u30FC\uFF0D\uFF70]/g;
// wanakana shifts hiragana up to ゖ only; the iteration marks have katakana twins too.
const HIRAGANA_ITERATION_MARKS: Readonly<Record<string, string>> = { ゝ: 'ヽ', ゞ: 'ヾ' };
const HIRAGANA_ITERATION_MARK = /[ゝゞ]/g;

/** A kana name as every system keeps it: full-width katakana, no separators or small kana, one long-vowel mark. */
export const normaliseKanaName = (name: string): string => {
  const composed = name.replace(SPACING_SOUND_MARK, (mark) => SPACING_SOUND_MARKS[mark] ?? mark).normalize('NFKC');
  const katakana = toKatakana(composed, { passRomaji: true }).replace(
    HIRAGANA_ITERATION_MARK,
    (mark) => HIRAGANA_ITERATION_MARKS[mark] ?? mark,
  );
  return katakana
    .replace(NAME_SEPARATORS, '')
    .replace(SMALL_KANA, (kana) => SMALL_TO_LARGE_KANA[kana] ?? kana)
    .replace(LONG_VOWEL_MARK_VARIANTS, 'ー')
    .normalize('NFKC');
};
