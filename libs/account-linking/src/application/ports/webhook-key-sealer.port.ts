export const WEBHOOK_KEY_SEALER = Symbol('WEBHOOK_KEY_SEALER');

export interface SealedWebhookKeyMaterial {
  sealedMaterial: string;
  /** A keyed hash: equal for equal material of the same bank, useless to anyone without the service's key. */
  materialFingerprint: string;
}

/** Webhook key material at rest: HMAC secrets are secrets, so events hold them only sealed. */
export interface WebhookKeySealer {
  seal(bankCode: string, material: string): Promise<SealedWebhookKeyMaterial>;
  /** Undefined when the material can no longer be opened (its key was erased). */
  open(sealedMaterial: string): Promise<string | undefined>;
  /** The fingerprint of material sealed earlier; null when it can no longer be opened. */
  fingerprintOfSealed(bankCode: string, sealedMaterial: string): Promise<string | null>;
}
