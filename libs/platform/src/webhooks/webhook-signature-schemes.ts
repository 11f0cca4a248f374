import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';

/** The `webhook-signature` version tag of each key kind. */
export const SIGNATURE_VERSION_OF = { hmac: 'v1', ed25519: 'v1a' } as const;

export type WebhookKeyKind = keyof typeof SIGNATURE_VERSION_OF;

const HMAC_SHA256_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

export function hmacSignature(key: Buffer, content: Buffer): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

export function ed25519Signature(privateKey: KeyObject, content: Buffer): Buffer {
  return sign(null, content, privateKey);
}

export function isHmacSignatureOf(key: Buffer, content: Buffer, signature: Buffer): boolean {
  return signature.length === HMAC_SHA256_BYTES && timingSafeEqual(hmacSignature(key, content), signature);
}

export function isEd25519SignatureOf(publicKey: KeyObject, content: Buffer, signature: Buffer): boolean {
  return signature.length === ED25519_SIGNATURE_BYTES && verify(null, content, publicKey, signature);
}
