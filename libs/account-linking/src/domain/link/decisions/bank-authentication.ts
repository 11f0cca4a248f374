import { DEFAULT_KYC_MATCH_RULE, matchKyc } from '../../kyc/kyc-match.policy';
import { assessBankAuthentication } from '../../policies/bank-authentication-strength.policy';
import { isBefore } from '../../time';
import type { RecordBankAuthenticationFailed, RecordBankAuthenticationSucceeded } from '../link-commands';
import type { BankAuthenticationSucceeded, LinkEvent } from '../link-events';
import type { LinkState } from '../link-state';
import { linkRejected, refusalByLinkingConditions } from './link-rejection';
import { requireStatus } from './link-state-guards';

/** R2, R3, R7, R8 at the bank's answer: a link goes on to the customer notification only if all hold. */
export const recordBankAuthenticationSucceeded = (
  command: RecordBankAuthenticationSucceeded,
  state: LinkState,
): LinkEvent[] => {
  const { link } = requireStatus(state, command.type, 'awaiting_bank_authentication');
  const { data } = command;
  const { linkId } = link;
  // The bank answered after the request's time to live: the link expired whatever the answer.
  if (!isBefore(data.now, link.expiresAt)) return [{ type: 'LinkExpired', data: { linkId, at: data.now } }];

  const refusal = refusalByLinkingConditions(data, data.now);
  if (refusal) return [linkRejected(linkId, data.now, refusal.reason, refusal.detail)];

  const authentication = assessBankAuthentication(data.methods, {
    phishingResistantFactorRequired: data.bankPolicy.phishingResistantFactorRequired,
  });
  if (!authentication.strong) {
    return [
      linkRejected(
        linkId,
        data.now,
        'weak_bank_authentication',
        `bank authentication too weak (${authentication.reason}): ${data.methods.join(', ') || 'no methods'}`,
        { methods: data.methods, factorKinds: authentication.kinds, weakness: authentication.reason },
      ),
    ];
  }
  const authenticated: BankAuthenticationSucceeded = {
    type: 'BankAuthenticationSucceeded',
    data: {
      linkId,
      at: data.now,
      methods: data.methods,
      factorKinds: authentication.kinds,
      phishingResistant: authentication.phishingResistant,
      authenticatedAt: data.authenticatedAt,
    },
  };

  const rule = data.kycMatchRule ?? DEFAULT_KYC_MATCH_RULE;
  const kyc = matchKyc(data.ekycAttributes, data.holder, rule);
  if (!kyc.matched) {
    const unmatched = kyc.fields.filter((field) => field.result !== 'match').map((field) => field.field);
    return [
      authenticated,
      { type: 'KycMismatched', data: { linkId, at: data.now, fields: kyc.fields, rule } },
      linkRejected(linkId, data.now, 'kyc_mismatch', `identity attributes not matched: ${unmatched.join(', ')}`),
    ];
  }

  const { bankPolicy } = data;
  return [
    authenticated,
    { type: 'KycMatched', data: { linkId, at: data.now, fields: kyc.fields, rule } },
    {
      type: 'CustomerNotificationRequested',
      data: {
        linkId,
        at: data.now,
        notifiedBy: bankPolicy.customerNotifiedBy,
        ...(data.customerContact ? { contact: data.customerContact } : {}),
        activation: {
          coolingOffMinutes: bankPolicy.coolingOffMinutes,
          customerConfirmationRequired: bankPolicy.customerConfirmationRequired,
          ...(bankPolicy.initialLimits ? { initialLimits: bankPolicy.initialLimits } : {}),
        },
      },
    },
  ];
};

/** A failure is recorded even past the time to live: it counts towards the account's lockout (R8). */
export const recordBankAuthenticationFailed = (
  command: RecordBankAuthenticationFailed,
  state: LinkState,
): LinkEvent[] => {
  const { linkId } = requireStatus(state, command.type, 'awaiting_bank_authentication').link;
  const { data } = command;
  return [
    { type: 'BankAuthenticationFailed', data: { linkId, at: data.now, reason: data.reason } },
    linkRejected(
      linkId,
      data.now,
      'bank_authentication_failed',
      `the bank did not authenticate the customer: ${data.reason}`,
    ),
  ];
};
