/** Stream names: one stream per link, one guard stream per bank account (keyed by its token). */
export const LINK_STREAM_PREFIX = 'link-';
export const BANK_ACCOUNT_GUARD_STREAM_PREFIX = 'bank-account-';

export const linkStream = (linkId: string) => `${LINK_STREAM_PREFIX}${linkId}`;
export const bankAccountGuardStream = (accountToken: string) => `${BANK_ACCOUNT_GUARD_STREAM_PREFIX}${accountToken}`;
export const ACTOR_STREAM_PREFIX = 'actor-';
/** One actor's attempts and blocks, by kind and keyed hash (ARCHITECTURE.md `actor-{kind}-{hash}`). */
export const actorStream = (kind: string, streamKey: string) => `${ACTOR_STREAM_PREFIX}${kind}-${streamKey}`;
export const bankInboxStream = (bankCode: string) => `bank-inbox-${bankCode}`;

/** The account token a guard stream is keyed by. */
export const accountTokenOfGuardStream = (stream: string): string | undefined =>
  stream.startsWith(BANK_ACCOUNT_GUARD_STREAM_PREFIX)
    ? stream.slice(BANK_ACCOUNT_GUARD_STREAM_PREFIX.length)
    : undefined;
