import type { ActorDefenceSettings, ActorKind } from '../../domain/actor/actor';
import type { KycMatchRule } from '../../domain/kyc/kyc-match.policy';
import type { AccountLockoutSettings } from '../../domain/policies/account-lockout.policy';
import type { AllowedEkycMethod } from '../../domain/policies/ekyc-method.policy';

export const LINKING_SETTINGS = Symbol('LINKING_SETTINGS');

/** Operator-tunable rules of linking, fixed at start from configuration. */
export interface LinkingSettings {
  allowedEkycMethods: readonly AllowedEkycMethod[];
  requestTtlMinutes: number;
  /** How old an account claim whose link never started must be before another request frees it. */
  staleClaimSeconds: number;
  kycMatchRule: KycMatchRule;
  lockout: AccountLockoutSettings;
  /** Per actor kind (R8, reverse brute force). */
  actorDefences: Readonly<Record<ActorKind, ActorDefenceSettings>>;
}
