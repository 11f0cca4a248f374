import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_HMAC_KEY_BYTES = 16;
const ED25519_RAW_KEY_BYTES = 32;
// DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo (RFC 8410) before the raw 32 bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class InvalidWebhookKeyError extends Error {
  override readonly name = 'InvalidWebhookKeyError';
}

export function decodeStrictBase64(value: string): Buffer | undefined {
  return STRICT_BASE64.test(value) && value.length % 4 === 0 ? Buffer.from(value, 'base64') : undefined;
}

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function hmacKeyFromSecret(secret: string): Buffer {
  const key = decodeStrictBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (!key || key.length < MIN_HMAC_KEY_BYTES) {
    throw new InvalidWebhookKeyError(
      `A webhook secret must be whsec_ and base64 of at least ${MIN_HMAC_KEY_BYTES} bytes`,
    );
  }
  return key;
}

export function ed25519PublicKeyFrom(material: string): KeyObject {
  const key = material.trimStart().startsWith('-----BEGIN')
    ? createPublicKey(material)
    : createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, rawKeyBytes(material, 'whpk_')]),
        format: 'der',
        type: 'spki',
      });
  return assertEd25519(key);
}

export function ed25519PrivateKeyFrom(material: string): KeyObject {
  const key = material.trimStart().startsWith('-----BEGIN')
    ? createPrivateKey(material)
    : createPrivateKey({
        // A 64-byte libsodium secret key is the seed followed by the public key.
        key: Buffer.concat([ED25519_PKCS8_PREFIX, rawKeyBytes(material, 'whsk_').subarray(0, ED25519_RAW_KEY_BYTES)]),
        format: 'der',
        type: 'pkcs8',
      });
  return assertEd25519(key);
}

function rawKeyBytes(material: string, prefix: string): Buffer {
  const bytes = decodeStrictBase64(material.startsWith(prefix) ? material.slice(prefix.length) : material);
  if (!bytes || (bytes.length !== ED25519_RAW_KEY_BYTES && !(prefix === 'whsk_' && bytes.length === 64))) {
    throw new InvalidWebhookKeyError('An Ed25519 webhook key must be PEM or base64 of the raw 32-byte key');
  }
  return bytes;
}

function assertEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new InvalidWebhookKeyError('The webhook key is not an Ed25519 key');
  return key;
}
