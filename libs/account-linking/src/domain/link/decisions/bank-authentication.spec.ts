import type { KycFieldResult } from '../../kyc/kyc-attributes';
import { DEFAULT_KYC_MATCH_RULE } from '../../kyc/kyc-match.policy';
import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import type { LinkEvent } from '../link-events';
import {
  ALL_FIELDS_MATCH,
  AUTHENTICATED_AT,
  activationPolicy,
  bankAuthenticationSucceeded,
  bankAuthenticationSucceededCommand,
  bankHolder,
  EXPIRES_AT,
  HISTORIES,
  type HistoryName,
  LINK_ID,
  linkRequested,
} from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const authenticated = bankAuthenticationSucceeded;

const notificationRequested = (activation = activationPolicy()): LinkEvent => ({
  type: 'CustomerNotificationRequested',
  data: { linkId: LINK_ID, at: AUTHENTICATED_AT, notifiedBy: 'service', contact: 'sealed:bank-contact', activation },
});

const OTHER_STATES: HistoryName[] = [
  'notifying_customer',
  'cooling_off',
  'awaiting_customer_confirmation',
  'active',
  'suspended',
  'revoked',
  'rejected',
  'expired',
];

describe('RecordBankAuthenticationSucceeded', () => {
  it('with strong authentication and matching identities, asks for the customer notification (R2, R3, R4)', () => {
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand())
      .then([
        authenticated,
        {
          type: 'KycMatched',
          data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields: ALL_FIELDS_MATCH, rule: DEFAULT_KYC_MATCH_RULE },
        },
        notificationRequested(),
      ]);
  });

  it('carries the bank policy for what follows the notification onto the request', () => {
    const command = bankAuthenticationSucceededCommand();
    given([linkRequested])
      .when({
        ...command,
        data: {
          ...command.data,
          bankPolicy: { ...command.data.bankPolicy, coolingOffMinutes: 60, customerConfirmationRequired: true },
        },
      })
      .then([
        authenticated,
        {
          type: 'KycMatched',
          data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields: ALL_FIELDS_MATCH, rule: DEFAULT_KYC_MATCH_RULE },
        },
        notificationRequested(activationPolicy({ coolingOffMinutes: 60, customerConfirmationRequired: true })),
      ]);
  });

  it('leaves the contact out when the bank notifies its customer itself', () => {
    const command = bankAuthenticationSucceededCommand({ customerContact: undefined });
    given([linkRequested])
      .when({
        ...command,
        data: { ...command.data, bankPolicy: { ...command.data.bankPolicy, customerNotifiedBy: 'bank' } },
      })
      .then([
        authenticated,
        {
          type: 'KycMatched',
          data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields: ALL_FIELDS_MATCH, rule: DEFAULT_KYC_MATCH_RULE },
        },
        {
          type: 'CustomerNotificationRequested',
          data: { linkId: LINK_ID, at: AUTHENTICATED_AT, notifiedBy: 'bank', activation: activationPolicy() },
        },
      ]);
  });

  it('rejects knowledge-only authentication, recording what the bank reported (R2)', () => {
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand({ methods: ['pin', 'birth_date'] }))
      .then([
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'weak_bank_authentication',
            detail: 'bank authentication too weak (knowledge_only): pin, birth_date',
            authentication: { methods: ['pin', 'birth_date'], factorKinds: ['knowledge'], weakness: 'knowledge_only' },
          },
        },
      ]);
  });

  it('rejects authentication without a phishing-resistant factor when the bank policy demands one (R2)', () => {
    const command = bankAuthenticationSucceededCommand();
    given([linkRequested])
      .when({
        ...command,
        data: { ...command.data, bankPolicy: { ...command.data.bankPolicy, phishingResistantFactorRequired: true } },
      })
      .then([
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'weak_bank_authentication',
            detail: 'bank authentication too weak (phishing_resistant_factor_required): password, otp_sms',
            authentication: {
              methods: ['password', 'otp_sms'],
              factorKinds: ['knowledge', 'possession'],
              weakness: 'phishing_resistant_factor_required',
            },
          },
        },
      ]);
  });

  it('rejects a KYC mismatch, recording the per-field results and no values (R3)', () => {
    const fields = [
      { field: 'nameKana', result: 'match' },
      { field: 'nameKanji', result: 'match' },
      { field: 'birthDate', result: 'mismatch' },
      { field: 'phone', result: 'match' },
      { field: 'address', result: 'match' },
    ] as const;
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand({ holder: { ...bankHolder, birthDate: '1975-02-11' } }))
      .then([
        authenticated,
        {
          type: 'KycMismatched',
          data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields, rule: DEFAULT_KYC_MATCH_RULE },
        },
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'kyc_mismatch',
            detail: 'identity attributes not matched: birthDate',
          },
        },
      ]);
  });

  it('applies a configured KYC match rule', () => {
    const rule = { allOf: ['birthDate', 'nameKana', 'nameKanji'], anyOf: [] } as const;
    const fields: KycFieldResult[] = ALL_FIELDS_MATCH.map((result) =>
      result.field === 'nameKanji' ? { field: 'nameKanji', result: 'mismatch' } : result,
    );
    given([linkRequested])
      .when(
        bankAuthenticationSucceededCommand({
          kycMatchRule: rule,
          holder: { ...bankHolder, name: { kana: 'ﾀｶﾊｼ ｹﾝ', kanji: '高田 健' } },
        }),
      )
      .then([
        authenticated,
        { type: 'KycMismatched', data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields, rule } },
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'kyc_mismatch',
            detail: 'identity attributes not matched: nameKanji',
          },
        },
      ]);
  });

  it('rejects when the bank was suspended meanwhile (R7)', () => {
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand({ bankSuspended: true }))
      .then([
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'bank_suspended',
            detail: 'linking with this bank is suspended',
          },
        },
      ]);
  });

  it('rejects when the account was locked meanwhile (R8)', () => {
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand({ accountLockedUntil: '2026-11-21T10:00:00.000Z' }))
      .then([
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'account_locked',
            detail: 'the account is locked for linking until 2026-11-21T10:00:00.000Z',
          },
        },
      ]);
  });

  it('expires the link when the answer comes after its time to live', () => {
    given([linkRequested])
      .when(bankAuthenticationSucceededCommand({ now: EXPIRES_AT }))
      .then([{ type: 'LinkExpired', data: { linkId: LINK_ID, at: EXPIRES_AT } }]);
  });

  it('refuses a link that does not exist', () => {
    given([]).when(bankAuthenticationSucceededCommand()).thenThrows('link_not_found');
  });

  it.each(OTHER_STATES)('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(bankAuthenticationSucceededCommand()).thenThrows('link_not_in_expected_state');
  });
});

describe('RecordBankAuthenticationFailed', () => {
  const failed = {
    type: 'RecordBankAuthenticationFailed',
    data: { reason: 'wrong_pin', now: AUTHENTICATED_AT },
  } as const;

  it('records the failure and rejects the link', () => {
    given([linkRequested])
      .when(failed)
      .then([
        { type: 'BankAuthenticationFailed', data: { linkId: LINK_ID, at: AUTHENTICATED_AT, reason: 'wrong_pin' } },
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: AUTHENTICATED_AT,
            reason: 'bank_authentication_failed',
            detail: 'the bank did not authenticate the customer: wrong_pin',
          },
        },
      ]);
  });

  it('records a failure that comes after the time to live, so it counts towards the lockout', () => {
    given([linkRequested])
      .when({ ...failed, data: { ...failed.data, now: EXPIRES_AT } })
      .then([
        { type: 'BankAuthenticationFailed', data: { linkId: LINK_ID, at: EXPIRES_AT, reason: 'wrong_pin' } },
        {
          type: 'LinkRejected',
          data: {
            linkId: LINK_ID,
            at: EXPIRES_AT,
            reason: 'bank_authentication_failed',
            detail: 'the bank did not authenticate the customer: wrong_pin',
          },
        },
      ]);
  });

  it('refuses a link that does not exist', () => {
    given([]).when(failed).thenThrows('link_not_found');
  });

  it.each(OTHER_STATES)('refuses a link that is %s', (name) => {
    given(HISTORIES[name]).when(failed).thenThrows('link_not_in_expected_state');
  });
});
