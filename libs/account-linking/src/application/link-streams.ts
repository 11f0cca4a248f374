/** Stream names: one stream per link, one guard stream per bank account (keyed by its token). */
export const linkStream = (linkId: string) => `link-${linkId}`;
export const bankAccountGuardStream = (accountToken: string) => `bank-account-${accountToken}`;
export const bankInboxStream = (bankCode: string) => `bank-inbox-${bankCode}`;
