import { foldKanjiVariants } from './kanji-variants';
import { NAME_SEPARATORS } from './name-separators';

// Variation selectors (IVS) pick a glyph, not a different character.
const VARIATION_SELECTORS = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** A name in kanji, with width, spacing, glyph variants and old character forms folded away. */
export const normaliseKanjiName = (name: string): string =>
  foldKanjiVariants(name.normalize('NFKC').replace(VARIATION_SELECTORS, '').replace(NAME_SEPARATORS, '')).normalize(
    'NFKC',
  );
