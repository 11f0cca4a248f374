import type { BankAccount } from '../../bank-account';
import type { KycAttributes } from '../../kyc/kyc-attributes';
import { DEFAULT_KYC_MATCH_RULE } from '../../kyc/kyc-match.policy';
import { allowedEkycMethods } from '../../policies/ekyc-method.policy';
import type { LinkActivationPolicy } from '../bank-link-policy';
import type { AbandonLinkRequest, RecordBankAuthenticationSucceeded, RequestLink } from '../link-commands';
import type { BankAuthenticationSucceeded, LinkEvent, LinkRequestAbandoned, LinkRequested } from '../link-events';

export const LINK_ID = 'lnk_7f3k2m9q';
export const REQUESTED_AT = '2026-11-20T10:00:00.000Z';
export const EXPIRES_AT = '2026-11-20T10:30:00.000Z';
export const AUTHENTICATED_AT = '2026-11-20T10:05:00.000Z';
export const NOTIFIED_AT = '2026-11-20T10:06:00.000Z';
export const ACTIVATED_AT = '2026-11-20T10:07:00.000Z';
export const LATER = '2026-11-21T09:00:00.000Z';

export const bankAccount: BankAccount = {
  bankCode: '0001',
  branchCode: '001',
  type: 'ordinary',
  accountToken: 'acct_hmac_c0ffee',
  last4: '4567',
};

export const requestLinkCommand = (data: Partial<RequestLink['data']> = {}): RequestLink => ({
  type: 'RequestLink',
  data: {
    linkId: LINK_ID,
    paymentAppId: 'sandbox-app',
    customerReference: 'user-123',
    bankAccount,
    sealedAccountNumber: 'sealed:account-number',
    deviceId: 'device-abc',
    ekyc: { method: 'jpki', verifiedAt: '2026-11-20T09:50:00.000Z', attributes: 'sealed:ekyc-attributes' },
    allowedEkycMethods: allowedEkycMethods('2027-04-01T00:00:00.000Z'),
    bankSuspended: false,
    now: REQUESTED_AT,
    ...data,
  },
});

export const linkRequested: LinkRequested = {
  type: 'LinkRequested',
  data: {
    linkId: LINK_ID,
    at: REQUESTED_AT,
    paymentAppId: 'sandbox-app',
    customerReference: 'user-123',
    bankAccount,
    sealedAccountNumber: 'sealed:account-number',
    deviceId: 'device-abc',
    ekyc: { method: 'jpki', verifiedAt: '2026-11-20T09:50:00.000Z', attributes: 'sealed:ekyc-attributes' },
    expiresAt: EXPIRES_AT,
  },
};

export const CLAIMED_AT = '2026-11-20T09:59:00.000Z';

export const abandonLinkRequestCommand = (data: Partial<AbandonLinkRequest['data']> = {}): AbandonLinkRequest => ({
  type: 'AbandonLinkRequest',
  data: {
    linkId: LINK_ID,
    paymentAppId: 'sandbox-app',
    accountToken: bankAccount.accountToken,
    claimedAt: CLAIMED_AT,
    now: REQUESTED_AT,
    ...data,
  },
});

export const linkRequestAbandoned: LinkRequestAbandoned = {
  type: 'LinkRequestAbandoned',
  data: {
    linkId: LINK_ID,
    at: REQUESTED_AT,
    paymentAppId: 'sandbox-app',
    accountToken: bankAccount.accountToken,
    claimedAt: CLAIMED_AT,
  },
};

export const ekycAttributes: KycAttributes = {
  name: { kanji: '髙橋 健', kana: 'タカハシ ケン' },
  birthDate: '1975-11-02',
  phone: '080-9876-5432',
  address: { postalCode: '530-0001', prefecture: '大阪府', line: '大阪市北区梅田１丁目２番３号' },
};

export const bankHolder: KycAttributes = {
  name: { kanji: '高橋 健', kana: 'ﾀｶﾊｼ ｹﾝ' },
  birthDate: '1975-11-02',
  phone: '+818098765432',
  address: { postalCode: '5300001', prefecture: '大阪府', line: '大阪市北区梅田1-2-3' },
};

export const ALL_FIELDS_MATCH = [
  { field: 'nameKana', result: 'match' },
  { field: 'nameKanji', result: 'match' },
  { field: 'birthDate', result: 'match' },
  { field: 'phone', result: 'match' },
  { field: 'address', result: 'match' },
] as const;

export const activationPolicy = (policy: Partial<LinkActivationPolicy> = {}): LinkActivationPolicy => ({
  coolingOffMinutes: 0,
  customerConfirmationRequired: false,
  ...policy,
});

export const bankAuthenticationSucceededCommand = (
  data: Partial<RecordBankAuthenticationSucceeded['data']> = {},
): RecordBankAuthenticationSucceeded => ({
  type: 'RecordBankAuthenticationSucceeded',
  data: {
    methods: ['password', 'otp_sms'],
    authenticatedAt: AUTHENTICATED_AT,
    holder: bankHolder,
    ekycAttributes,
    customerContact: 'sealed:bank-contact',
    bankPolicy: {
      ...activationPolicy(),
      phishingResistantFactorRequired: false,
      customerNotifiedBy: 'service',
    },
    bankSuspended: false,
    now: AUTHENTICATED_AT,
    ...data,
  },
});

/** Strong authentication (knowledge + possession) reported by the bank at AUTHENTICATED_AT. */
export const bankAuthenticationSucceeded: BankAuthenticationSucceeded = {
  type: 'BankAuthenticationSucceeded',
  data: {
    linkId: LINK_ID,
    at: AUTHENTICATED_AT,
    methods: ['password', 'otp_sms'],
    factorKinds: ['knowledge', 'possession'],
    phishingResistant: false,
    authenticatedAt: AUTHENTICATED_AT,
  },
};

/** The events of a link that reached the customer notification under this activation policy. */
export const notifyingCustomer = (activation: LinkActivationPolicy = activationPolicy()): LinkEvent[] => [
  linkRequested,
  bankAuthenticationSucceeded,
  {
    type: 'KycMatched',
    data: { linkId: LINK_ID, at: AUTHENTICATED_AT, fields: ALL_FIELDS_MATCH, rule: DEFAULT_KYC_MATCH_RULE },
  },
  {
    type: 'CustomerNotificationRequested',
    data: { linkId: LINK_ID, at: AUTHENTICATED_AT, notifiedBy: 'service', contact: 'sealed:bank-contact', activation },
  },
];

const customerNotified: LinkEvent = {
  type: 'CustomerNotified',
  data: { linkId: LINK_ID, at: NOTIFIED_AT, channel: 'sms', deliveredAt: NOTIFIED_AT },
};

export const COOLING_OFF_UNTIL = '2026-11-20T11:06:00.000Z';

export const coolingOff = (customerConfirmationRequired = false): LinkEvent[] => [
  ...notifyingCustomer(activationPolicy({ coolingOffMinutes: 60, customerConfirmationRequired })),
  customerNotified,
  { type: 'CoolingOffStarted', data: { linkId: LINK_ID, at: NOTIFIED_AT, until: COOLING_OFF_UNTIL } },
];

export const awaitingCustomerConfirmation = (): LinkEvent[] => [
  ...notifyingCustomer(activationPolicy({ customerConfirmationRequired: true })),
  customerNotified,
  { type: 'CustomerConfirmationAwaited', data: { linkId: LINK_ID, at: NOTIFIED_AT } },
];

export const active = (): LinkEvent[] => [
  ...notifyingCustomer(),
  customerNotified,
  { type: 'LinkActivated', data: { linkId: LINK_ID, at: ACTIVATED_AT } },
];

export const suspended = (): LinkEvent[] => [
  ...active(),
  { type: 'LinkSuspended', data: { linkId: LINK_ID, at: LATER, by: 'operator', reason: 'bank kill switch' } },
];

export const revoked = (): LinkEvent[] => [
  ...active(),
  { type: 'LinkRevoked', data: { linkId: LINK_ID, at: LATER, by: 'payment_app', reason: 'user closed the wallet' } },
];

export const rejected = (): LinkEvent[] => [
  linkRequested,
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
];

export const expired = (): LinkEvent[] => [
  linkRequested,
  { type: 'LinkExpired', data: { linkId: LINK_ID, at: EXPIRES_AT } },
];

/** Every state a link can be in, by the events that lead there. */
export const HISTORIES = {
  none: [],
  awaiting_bank_authentication: [linkRequested],
  notifying_customer: notifyingCustomer(),
  cooling_off: coolingOff(),
  awaiting_customer_confirmation: awaitingCustomerConfirmation(),
  active: active(),
  suspended: suspended(),
  revoked: revoked(),
  rejected: rejected(),
  expired: expired(),
} as const satisfies Record<string, readonly LinkEvent[]>;

export type HistoryName = keyof typeof HISTORIES;
