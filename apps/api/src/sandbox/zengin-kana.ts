import { toKatakana } from 'wanakana';
import { SMALL_TO_LARGE_KANA } from '@lib/account-linking/domain/kyc/kana-name.normaliser';

const FULL_TO_HALF: Record<string, string> = Object.fromEntries(
  [...'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン'].map((kana, i) => [
    kana,
    'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ'[i] as string,
  ]),
);

/** A name the way banks' Zengin character set writes it: half-width katakana, no small kana, '-' for 'ー'. */
export function toZenginKana(kana: string): string {
  return [...toKatakana(kana, { passRomaji: true }).normalize('NFD')]
    .map((char) => {
      if (char === '\u3099') return 'ﾞ';
      if (char === '\u309A') return 'ﾟ';
      if (char === 'ー') return '-';
      if (char === '　' || char === '・') return ' ';
      const large = SMALL_TO_LARGE_KANA[char] ?? char;
      return FULL_TO_HALF[large] ?? large;
    })
    .join('');
}
