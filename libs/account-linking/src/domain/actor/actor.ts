/** Who tries accounts (R8, reverse brute force): a device, an app's customer, or the end user's address. */
export type ActorKind = 'device' | 'customer' | 'ip_address';

/**
 * One actor as operators see it: `key` is the device id or the customer reference as the app sent it; an
 * address is known only by its keyed hash (never stored in plaintext).
 */
export interface ActorIdentity {
  kind: ActorKind;
  paymentAppId: string;
  key: string;
}

export interface ActorDefenceSettings {
  /** Distinct bank accounts failing (bank authentication or KYC) within the window that block the actor. */
  threshold: number;
  windowMinutes: number;
  blockMinutes: number;
}

/** API.md "Actor defences": deployment settings; a bank's policy may only tighten them. */
export const DEFAULT_ACTOR_DEFENCES: Readonly<Record<ActorKind, ActorDefenceSettings>> = {
  device: { threshold: 3, windowMinutes: 24 * 60, blockMinutes: 24 * 60 },
  customer: { threshold: 3, windowMinutes: 24 * 60, blockMinutes: 24 * 60 },
  ip_address: { threshold: 10, windowMinutes: 60, blockMinutes: 60 },
};

/** What a bank's policy may say of the actor defences: each value only tightens the deployment's (API.md). */
export type ActorDefencePolicy = Partial<Record<ActorKind, Partial<ActorDefenceSettings>>>;

/**
 * The settings that hold for a link to one bank: the lower threshold, the longer window and the longer block
 * of the deployment's and the bank's, so that a bank's policy can only tighten the defences.
 */
export const tightenedActorDefences = (
  deployment: ActorDefenceSettings,
  bank: Partial<ActorDefenceSettings> | undefined,
): ActorDefenceSettings => ({
  threshold: Math.min(deployment.threshold, bank?.threshold ?? deployment.threshold),
  windowMinutes: Math.max(deployment.windowMinutes, bank?.windowMinutes ?? deployment.windowMinutes),
  blockMinutes: Math.max(deployment.blockMinutes, bank?.blockMinutes ?? deployment.blockMinutes),
});

export const ACTOR_KINDS: readonly ActorKind[] = ['device', 'customer', 'ip_address'];
