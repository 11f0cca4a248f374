/** When a key may verify: `notBefore` inclusive, `notAfter` exclusive; absent means unbounded. */
export interface WebhookKeyValidity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** One of a sender's keys. During a rotation two are valid at once, and either may verify. */
export type WebhookVerificationKey =
  | (WebhookKeyValidity & {
      readonly keyId: string;
      readonly kind: 'hmac';
      /** `whsec_<base64>`; the HMAC key is the decoded part. */
      readonly secret: string;
    })
  | (WebhookKeyValidity & {
      readonly keyId: string;
      readonly kind: 'ed25519';
      /** PEM (SPKI), `whpk_<base64>` or plain base64 of the 32-byte raw key. */
      readonly publicKey: string;
    });

export type WebhookSigningKey =
  | { readonly kind: 'hmac'; readonly secret: string }
  /** PEM (PKCS#8), `whsk_<base64>` or plain base64 of the 32-byte seed (or 64-byte seed + public key). */
  | { readonly kind: 'ed25519'; readonly privateKey: string };

export function isKeyValidAt(key: WebhookKeyValidity, at: Date): boolean {
  const time = at.getTime();
  if (key.notBefore && time < key.notBefore.getTime()) return false;
  if (key.notAfter && time >= key.notAfter.getTime()) return false;
  return true;
}
