import { normaliseAddress } from './address.normaliser';
import { normaliseBirthDate } from './birth-date.normaliser';
import { normaliseKanaName } from './kana-name.normaliser';
import { normaliseKanjiName } from './kanji-name.normaliser';
import type { KycAttributes, KycField, KycFieldOutcome, KycFieldResult } from './kyc-attributes';
import { normalisePhoneNumber } from './phone-number.normaliser';

/** Which field outcomes make a match: every field of `allOf`, and at least one field of each `anyOf` group. */
export interface KycMatchRule {
  allOf: readonly KycField[];
  anyOf: readonly (readonly KycField[])[];
}

export const DEFAULT_KYC_MATCH_RULE: KycMatchRule = {
  allOf: ['birthDate', 'nameKana'],
  anyOf: [['phone', 'address']],
};

export interface KycMatchOutcome {
  matched: boolean;
  fields: readonly KycFieldResult[];
}

const isBlank = (text: string | undefined): text is undefined => text === undefined || text.trim() === '';

/** Both sides given: equal after normalisation; a value that cannot be normalised never matches. */
const compareText = (
  app: string | undefined,
  bank: string | undefined,
  normalise: (text: string) => string | undefined,
): KycFieldOutcome => {
  if (isBlank(app) || isBlank(bank)) return 'not_provided';
  const normalisedApp = normalise(app);
  return normalisedApp !== undefined && normalisedApp !== '' && normalisedApp === normalise(bank)
    ? 'match'
    : 'mismatch';
};

const compareAddress = (app: KycAttributes['address'], bank: KycAttributes['address']): KycFieldOutcome => {
  if (app === undefined || bank === undefined) return 'not_provided';
  const [a, b] = [normaliseAddress(app), normaliseAddress(bank)];
  if (a.line === '' || b.line === '') return 'not_provided';
  const postalCodesAgree = a.postalCode === '' || b.postalCode === '' || a.postalCode === b.postalCode;
  return postalCodesAgree && a.line === b.line ? 'match' : 'mismatch';
};

export const compareKycFields = (app: KycAttributes, bank: KycAttributes): readonly KycFieldResult[] => [
  { field: 'nameKana', result: compareText(app.name.kana, bank.name.kana, normaliseKanaName) },
  { field: 'nameKanji', result: compareText(app.name.kanji, bank.name.kanji, normaliseKanjiName) },
  { field: 'birthDate', result: compareText(app.birthDate, bank.birthDate, normaliseBirthDate) },
  { field: 'phone', result: compareText(app.phone, bank.phone, normalisePhoneNumber) },
  { field: 'address', result: compareAddress(app.address, bank.address) },
];

/** Whether recorded field outcomes make a match under `rule` (also used to replay a stricter rule over history). */
export const satisfiesKycMatchRule = (fields: readonly KycFieldResult[], rule: KycMatchRule): boolean => {
  const matches = (field: KycField) => fields.some((result) => result.field === field && result.result === 'match');
  return rule.allOf.every(matches) && rule.anyOf.every((group) => group.some(matches));
};

/** R3, the dual KYC match: the app's eKYC attributes against the bank's, field by field. */
export const matchKyc = (
  app: KycAttributes,
  bank: KycAttributes,
  rule: KycMatchRule = DEFAULT_KYC_MATCH_RULE,
): KycMatchOutcome => {
  const fields = compareKycFields(app, bank);
  return { matched: satisfiesKycMatchRule(fields, rule), fields };
};
