import type { WebhookSigningKey } from './webhook-key';
import { ed25519PrivateKeyFrom, hmacKeyFromSecret } from './webhook-key-material';
import { signedContent, type WebhookHeaders } from './webhook-headers';
import { ed25519Signature, hmacSignature, SIGNATURE_VERSION_OF } from './webhook-signature-schemes';

export interface WebhookToSign {
  readonly id: string;
  /** A `Date`, or unix seconds. */
  readonly timestamp: Date | number;
  readonly body: Buffer | string;
  /** Several keys give several signatures in one header, as a sender does while rotating. */
  readonly key: WebhookSigningKey | readonly WebhookSigningKey[];
}

/** The Standard Webhooks headers for a body, as a sending bank (or the sandbox's simulated one) sets them. */
export function signWebhook({ id, timestamp, body, key }: WebhookToSign): WebhookHeaders {
  const seconds = String(
    typeof timestamp === 'number' ? Math.floor(timestamp) : Math.floor(timestamp.getTime() / 1000),
  );
  const content = signedContent(id, seconds, body);
  const signatures = ([] as WebhookSigningKey[]).concat(key).map((signingKey) => {
    const signature =
      signingKey.kind === 'hmac'
        ? hmacSignature(hmacKeyFromSecret(signingKey.secret), content)
        : ed25519Signature(ed25519PrivateKeyFrom(signingKey.privateKey), content);
    return `${SIGNATURE_VERSION_OF[signingKey.kind]},${signature.toString('base64')}`;
  });
  return { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': signatures.join(' ') };
}
