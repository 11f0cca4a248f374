/** What a person typed into `Search`, as the investigator API can look it up (API.md "Investigator console"). */
export type SearchTerm =
  | { kind: 'link'; linkId: string }
  | {
      kind: 'bank_account';
      bankCode: string;
      branchCode: string;
      type: 'ordinary' | 'current' | 'savings';
      number: string;
    }
  /** A device id and a customer reference look alike: both are looked up (a device id is visible ASCII only). */
  | { kind: 'device_or_customer'; value: string; couldBeDevice: boolean }
  | { kind: 'invalid'; reason: string };

const LINK_ID = /^lnk_[A-Za-z0-9_-]{1,64}$/;
const BANK_ACCOUNT = /^(\d{4})-(\d{3})-(ordinary|current|savings)-(\d{7})$/;
const VISIBLE = /^[\x21-\x7E]{1,128}$/;

export function searchTermOf(input: string): SearchTerm {
  const value = input.trim();
  if (value === '')
    return { kind: 'invalid', reason: 'Type a link id, a device id, a customer reference or an account.' };
  if (LINK_ID.test(value)) return { kind: 'link', linkId: value };
  const account = BANK_ACCOUNT.exec(value);
  if (account) {
    const [, bankCode = '', branchCode = '', type, number = ''] = account;
    return { kind: 'bank_account', bankCode, branchCode, type: type as 'ordinary' | 'current' | 'savings', number };
  }
  if (/^\d{4}-/.test(value)) {
    return {
      kind: 'invalid',
      reason: 'An account is written bankCode-branchCode-type-number, e.g. 9900-001-ordinary-1234567.',
    };
  }
  if (value.length > 128) return { kind: 'invalid', reason: 'At most 128 characters.' };
  return { kind: 'device_or_customer', value, couldBeDevice: VISIBLE.test(value) };
}
