import type { KycFieldResult } from '../kyc/kyc-attributes';
import { type KycMatchRule, satisfiesKycMatchRule } from '../kyc/kyc-match.policy';
import type { Instant } from '../time';
import { assessBankAuthentication } from './bank-authentication-strength.policy';
import { ALWAYS_ALLOWED_EKYC_METHODS, type AllowedEkycMethod, assessEkycMethod } from './ekyc-method.policy';

/** The photo-of-ID eKYC method that `photoIdAllowedUntil` retires. */
export const PHOTO_ID_EKYC_METHOD = 'photo_id_and_selfie';

/**
 * A stricter policy to replay over recorded links (API.md "Evidence, policy replay, erasure"). Every field is
 * optional; a field left out is not judged, so an empty policy fails no link.
 */
export interface ReplayPolicy {
  /** The eKYC methods a link may rest on (else the service's list: JPKI, IC chip, photo-ID until its date). */
  allowedEkycMethods?: readonly string[];
  /** Photo-of-ID eKYC only for links requested before this instant (exclusive). */
  photoIdAllowedUntil?: Instant;
  /** The bank's authentication must have included a phishing-resistant factor (passkey, PKI). */
  requirePhishingResistant?: boolean;
  /** At least this many different factor kinds (the rule is always at least 2). */
  minFactorKinds?: number;
  /** The dual KYC match rule, judged on the per-field outcomes that were recorded. */
  kycRule?: KycMatchRule;
}

/** What a link's stream recorded of the facts its decisions rested on. */
export interface RecordedLinkFacts {
  linkId: string;
  requestedAt: Instant;
  ekyc?: { method: string; verifiedAt?: Instant };
  bankAuthentication?: { methods: readonly string[] };
  kyc?: { fields: readonly KycFieldResult[] };
}

export type PolicyReplayCode =
  | 'ekyc_method_not_allowed'
  | 'weak_bank_authentication'
  | 'phishing_resistant_factor_required'
  | 'kyc_mismatch';

interface RecordedEvent {
  type: string;
  data: unknown;
}

/** The facts out of a link's events, in order: the latest bank authentication and KYC outcome count. */
export const recordedLinkFacts = (events: readonly RecordedEvent[]): RecordedLinkFacts | undefined => {
  let facts: RecordedLinkFacts | undefined;
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'LinkRequested') {
      const ekyc = data.ekyc as { method?: unknown; verifiedAt?: unknown } | undefined;
      facts = {
        linkId: String(data.linkId),
        requestedAt: String(data.at),
        ...(ekyc && typeof ekyc.method === 'string'
          ? {
              ekyc: {
                method: ekyc.method,
                ...(typeof ekyc.verifiedAt === 'string' ? { verifiedAt: ekyc.verifiedAt } : {}),
              },
            }
          : {}),
      };
    } else if (facts && event.type === 'BankAuthenticationSucceeded') {
      facts = { ...facts, bankAuthentication: { methods: (data.methods as readonly string[] | undefined) ?? [] } };
    } else if (facts && (event.type === 'KycMatched' || event.type === 'KycMismatched')) {
      facts = { ...facts, kyc: { fields: (data.fields as readonly KycFieldResult[] | undefined) ?? [] } };
    }
  }
  return facts;
};

const replayedEkycMethods = (policy: ReplayPolicy): readonly AllowedEkycMethod[] => {
  const names = policy.allowedEkycMethods ?? [
    ...ALWAYS_ALLOWED_EKYC_METHODS.map((entry) => entry.method),
    PHOTO_ID_EKYC_METHOD,
  ];
  return names.map((method) =>
    method === PHOTO_ID_EKYC_METHOD && policy.photoIdAllowedUntil !== undefined
      ? { method, allowedUntil: policy.photoIdAllowedUntil }
      : { method },
  );
};

/**
 * Which codes a link would fail under `policy`, judged by the same policy functions that decide links
 * (assessEkycMethod at the request's time, assessBankAuthentication over the methods the bank reported,
 * the KYC rule over the recorded per-field outcomes). A fact the stream never recorded cannot pass a check
 * the policy asks for. A phishing-resistance failure is `weak_bank_authentication` (the rejection code) and
 * `phishing_resistant_factor_required` (its reason).
 */
export const wouldFail = (facts: RecordedLinkFacts, policy: ReplayPolicy): PolicyReplayCode[] => {
  const codes = new Set<PolicyReplayCode>();
  if (policy.allowedEkycMethods !== undefined || policy.photoIdAllowedUntil !== undefined) {
    const ekyc = assessEkycMethod(facts.ekyc?.method, facts.requestedAt, replayedEkycMethods(policy));
    if (!ekyc.allowed) codes.add(ekyc.code);
  }
  if (policy.requirePhishingResistant !== undefined || policy.minFactorKinds !== undefined) {
    const authentication = assessBankAuthentication(facts.bankAuthentication?.methods ?? [], {
      phishingResistantFactorRequired: policy.requirePhishingResistant === true,
    });
    if (!authentication.strong) {
      codes.add(authentication.code);
    }
    if (policy.requirePhishingResistant === true && !authentication.phishingResistant) {
      codes.add('weak_bank_authentication');
      codes.add('phishing_resistant_factor_required');
    }
    if (policy.minFactorKinds !== undefined && authentication.kinds.length < policy.minFactorKinds) {
      codes.add('weak_bank_authentication');
    }
  }
  if (policy.kycRule !== undefined && !satisfiesKycMatchRule(facts.kyc?.fields ?? [], policy.kycRule)) {
    codes.add('kyc_mismatch');
  }
  return [...codes];
};
