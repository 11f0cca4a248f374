import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A fresh `whsec_` secret (32 random bytes), e.g. for the sandbox bank when none is configured. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A fresh Ed25519 pair in the Standard Webhooks formats: `whpk_` public key, `whsk_` private key (raw seed). */
export function generateEd25519WebhookKeyPair(): { readonly publicKey: string; readonly privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const rawSeed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return { publicKey: `whpk_${rawPublic.toString('base64')}`, privateKey: `whsk_${rawSeed.toString('base64')}` };
}
