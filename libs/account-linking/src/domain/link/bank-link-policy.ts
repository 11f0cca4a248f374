import type { ActorDefencePolicy } from '../actor/actor';
import type { InitialDebitLimitsPolicy } from './link-usage';

/** What stands between a delivered notification and an active link (R5). */
export interface LinkActivationPolicy {
  /** Minutes the customer has to object before the link activates; 0 for none. */
  coolingOffMinutes: number;
  customerConfirmationRequired: boolean;
  /** Tighter limits for a new link's first days (R10); absent: none. */
  initialLimits?: InitialDebitLimitsPolicy;
}

/** A bank's linking policy, as the application loads it for the bank of the account. */
export interface BankLinkPolicy extends LinkActivationPolicy {
  /** Tighter actor defences for links to this bank's accounts (R8); absent: the deployment's. */
  actorDefences?: ActorDefencePolicy;
  phishingResistantFactorRequired: boolean;
  /** Who delivers the link notification to the contact registered at the bank (R4). */
  customerNotifiedBy: 'service' | 'bank';
}
