export type AuthenticationFactorKind = 'knowledge' | 'possession' | 'inherence';

/** The bank-reported methods the service understands (API.md `authentication.succeeded`). */
export const BANK_AUTHENTICATION_METHODS = {
  pin: 'knowledge',
  password: 'knowledge',
  birth_date: 'knowledge',
  otp_sms: 'possession',
  otp_voice: 'possession',
  otp_app: 'possession',
  otp_hardware: 'possession',
  passkey: 'possession',
  pki: 'possession',
  biometric: 'inherence',
} as const satisfies Record<string, AuthenticationFactorKind>;

export type BankAuthenticationMethod = keyof typeof BANK_AUTHENTICATION_METHODS;

const PHISHING_RESISTANT_METHODS: ReadonlySet<BankAuthenticationMethod> = new Set(['passkey', 'pki']);

export type WeakBankAuthenticationReason =
  | 'unknown_method'
  | 'knowledge_only'
  | 'fewer_than_two_factor_kinds'
  | 'phishing_resistant_factor_required';

export interface BankAuthenticationStrengthOptions {
  phishingResistantFactorRequired: boolean;
}

interface Observed {
  methods: readonly string[];
  kinds: readonly AuthenticationFactorKind[];
  phishingResistant: boolean;
}

export type BankAuthenticationAssessment =
  | (Observed & { strong: true })
  | (Observed & {
      strong: false;
      code: 'weak_bank_authentication';
      reason: WeakBankAuthenticationReason;
      unknownMethods: readonly string[];
    });

const isKnownMethod = (method: string): method is BankAuthenticationMethod =>
  Object.hasOwn(BANK_AUTHENTICATION_METHODS, method);

/** R2: two factors of different kinds; knowledge alone never suffices, however many; unknown methods are refused. */
export const assessBankAuthentication = (
  methods: readonly string[],
  options: BankAuthenticationStrengthOptions,
): BankAuthenticationAssessment => {
  const known = methods.filter(isKnownMethod);
  const unknownMethods = methods.filter((method) => !isKnownMethod(method));
  const kindsSeen = new Set(known.map((method) => BANK_AUTHENTICATION_METHODS[method]));
  const observed: Observed = {
    methods,
    kinds: (['knowledge', 'possession', 'inherence'] as const).filter((kind) => kindsSeen.has(kind)),
    phishingResistant: known.some((method) => PHISHING_RESISTANT_METHODS.has(method)),
  };
  const weak = (reason: WeakBankAuthenticationReason): BankAuthenticationAssessment => ({
    ...observed,
    strong: false,
    code: 'weak_bank_authentication',
    reason,
    unknownMethods,
  });

  if (unknownMethods.length > 0) return weak('unknown_method');
  if (observed.kinds.length === 1 && kindsSeen.has('knowledge')) return weak('knowledge_only');
  if (observed.kinds.length < 2) return weak('fewer_than_two_factor_kinds');
  if (options.phishingResistantFactorRequired && !observed.phishingResistant) {
    return weak('phishing_resistant_factor_required');
  }
  return { ...observed, strong: true };
};
