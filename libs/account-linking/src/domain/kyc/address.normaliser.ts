import type { PostalAddress } from './kyc-attributes';
import { foldKanjiVariants } from './kanji-variants';

const WHITE_SPACE = /\s/g;
const HYPHEN_VARIANTS = /[\u2010-\u2015\u2212\u2500\uFF0D]/g;
// ー is a long-vowel mark in katakana place names (センター); only after a digit is it a hyphen.
const LONG_VOWEL_MARK_AFTER_DIGIT = /(?<=\d)[\u30FC\uFF70]/g;
const KANJI_NUMERAL_BEFORE_CHOME = /([一二三四五六七八九十]+)(?=丁目)/g;
const BLOCK_MARKERS = /(\d+)(?:丁目|番地|番)/g;
const NUMBER_SUFFIX = /(\d+)号(?![室館棟])/g;
const NO_BETWEEN_DIGITS = /(?<=\d)の(?=\d)/g;
const HYPHEN_NOT_BEFORE_DIGIT = /-+(?!\d)/g;
const REPEATED_HYPHENS = /-{2,}/g;

const KANJI_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

// 一丁目 → 1, 十二丁目 → 12, 二十丁目 → 20: the numerals used for 丁目 stay below a hundred.
const kanjiNumeralToDigits = (numeral: string): string => {
  const [tensPart = '', unitsPart = ''] = numeral.includes('十') ? numeral.split('十') : ['', numeral];
  const tens = numeral.includes('十') ? (KANJI_DIGITS[tensPart] ?? 1) : 0;
  const units = KANJI_DIGITS[unitsPart] ?? 0;
  return String(tens * 10 + units);
};

const normaliseAddressText = (text: string): string =>
  foldKanjiVariants(text.normalize('NFKC'))
    .replace(WHITE_SPACE, '')
    .replace(HYPHEN_VARIANTS, '-')
    .replace(LONG_VOWEL_MARK_AFTER_DIGIT, '-')
    .replace(KANJI_NUMERAL_BEFORE_CHOME, kanjiNumeralToDigits)
    .replace(BLOCK_MARKERS, '$1-')
    .replace(NUMBER_SUFFIX, '$1')
    .replace(NO_BETWEEN_DIGITS, '-')
    .replace(REPEATED_HYPHENS, '-')
    .replace(HYPHEN_NOT_BEFORE_DIGIT, '');

export interface NormalisedAddress {
  /** Digits only, e.g. 5300001; empty when none was given. */
  postalCode: string;
  /** Prefecture and the rest of the address, 丁目/番地/番/号 written as hyphens: 大阪府大阪市北区梅田1-2-3. */
  line: string;
}

export const normaliseAddress = (address: PostalAddress): NormalisedAddress => {
  const prefecture = normaliseAddressText(address.prefecture ?? '');
  const line = normaliseAddressText(address.line ?? '');
  return {
    postalCode: (address.postalCode ?? '').normalize('NFKC').replace(/\D/g, ''),
    line: prefecture !== '' && line.startsWith(prefecture) ? line : `${prefecture}${line}`,
  };
};
