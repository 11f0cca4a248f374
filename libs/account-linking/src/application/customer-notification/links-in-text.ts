import { LinkifyIt } from 'linkify-it';

/** Generic top-level domains seen in smishing, on top of linkify-it's defaults (which cover every 2-letter one). */
const EXTRA_TLDS = [
  'app',
  'bank',
  'cloud',
  'click',
  'club',
  'dev',
  'link',
  'live',
  'money',
  'online',
  'page',
  'site',
  'store',
  'tech',
  'tokyo',
  'top',
  'xyz',
];

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true }).tlds(EXTRA_TLDS, true);

/** Stricter than any TLD list: a scheme, `www.`, or any dotted name whose last label is letters. */
const LINK_LIKE = /[a-z][a-z0-9+.-]*:\/\/\S*|www\.\S*|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}\S*/gi;

/** Full-width letters and dots (ｅｘａｍｐｌｅ．ｃｏｍ) read as a link on many phones: judge the text as they would. */
const asPhonesRead = (text: string) => text.normalize('NFKC');

/**
 * Everything in the text that a mail client or phone could turn into a link (FSA phishing rule: customer
 * notifications carry none). Judged on the NFKC form, by linkify-it and by a stricter pattern of our own.
 */
export function findLinks(text: string): string[] {
  const normalised = asPhonesRead(text);
  const found = new Set<string>();
  for (const match of linkify.match(normalised) ?? []) found.add(match.raw);
  for (const match of normalised.matchAll(LINK_LIKE)) found.add(match[0]);
  return [...found];
}

/** The text with anything link-like removed, in NFKC form; for names that end up inside a notification. */
export function withoutLinks(text: string): string {
  let cleaned = asPhonesRead(text);
  for (let pass = 0; pass < 5; pass++) {
    const links = findLinks(cleaned);
    if (links.length === 0) break;
    for (const link of links) cleaned = cleaned.split(link).join(' ');
  }
  return cleaned
    .replace(/[(（［[]\s*[)）］\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
