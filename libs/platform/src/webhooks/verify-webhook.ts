import { createHash } from 'node:crypto';
import { isKeyValidAt, type WebhookVerificationKey } from './webhook-key';
import { decodeStrictBase64, ed25519PublicKeyFrom, hmacKeyFromSecret } from './webhook-key-material';
import {
  signedContent,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhook-headers';
import { isEd25519SignatureOf, isHmacSignatureOf, SIGNATURE_VERSION_OF } from './webhook-signature-schemes';
import type { WebhookVerification } from './webhook-verification';

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookRequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface WebhookVerificationRequest {
  readonly headers: WebhookRequestHeaders;
  /** The body exactly as received: a re-serialised JSON body would not verify. */
  readonly rawBody: Buffer | string;
  /** The sender's keys; those not valid at `now` are ignored. */
  readonly keys: readonly WebhookVerificationKey[];
  readonly now: Date;
  /** How far `webhook-timestamp` may be from `now`, either way. */
  readonly toleranceSeconds?: number;
}

const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

interface PresentedSignature {
  readonly kind: WebhookVerificationKey['kind'];
  readonly signature: Buffer;
}

/**
 * Standard Webhooks verification. Absent or unreadable headers are `missing_signature_headers`; no valid
 * key of a kind the sender signed with is `unknown_key`.
 */
export function verifyWebhook(request: WebhookVerificationRequest): WebhookVerification {
  const id = headerOf(request.headers, WEBHOOK_ID_HEADER);
  const timestamp = headerOf(request.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatureHeader = headerOf(request.headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestamp || !signatureHeader || !WEBHOOK_ID.test(id) || !UNIX_SECONDS.test(timestamp)) {
    return { ok: false, code: 'missing_signature_headers' };
  }

  const seconds = Number(timestamp);
  const tolerance = request.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(request.now.getTime() / 1000 - seconds) > tolerance) return { ok: false, code: 'stale_timestamp' };

  const presented = presentedSignatures(signatureHeader);
  if (presented.length === 0) return { ok: false, code: 'invalid_signature' };
  const candidates = request.keys.filter(
    (key) => isKeyValidAt(key, request.now) && presented.some((p) => p.kind === key.kind),
  );
  if (candidates.length === 0) return { ok: false, code: 'unknown_key' };

  const content = signedContent(id, timestamp, request.rawBody);
  const verifiedBy = candidates.find((key) =>
    presented.some((p) => p.kind === key.kind && isSignedBy(key, content, p)),
  );
  if (!verifiedBy) return { ok: false, code: 'invalid_signature' };
  return {
    ok: true,
    keyId: verifiedBy.keyId,
    bodySha256: createHash('sha256').update(request.rawBody).digest('hex'),
    webhookId: id,
    timestamp: new Date(seconds * 1000),
  };
}

function headerOf(headers: WebhookRequestHeaders, name: string): string | undefined {
  const value =
    headers[name] ?? Object.entries(headers).find(([header]) => header.toLowerCase() === name)?.[1] ?? undefined;
  return typeof value === 'string' ? value : value?.[0];
}

/** Entries of unknown versions are skipped, so a sender may add a newer scheme alongside. */
function presentedSignatures(header: string): PresentedSignature[] {
  const result: PresentedSignature[] = [];
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    const version = entry.slice(0, comma);
    const signature = comma > 0 ? decodeStrictBase64(entry.slice(comma + 1)) : undefined;
    if (!signature) continue;
    if (version === SIGNATURE_VERSION_OF.hmac) result.push({ kind: 'hmac', signature });
    if (version === SIGNATURE_VERSION_OF.ed25519) result.push({ kind: 'ed25519', signature });
  }
  return result;
}

function isSignedBy(key: WebhookVerificationKey, content: Buffer, presented: PresentedSignature): boolean {
  return key.kind === 'hmac'
    ? isHmacSignatureOf(hmacKeyFromSecret(key.secret), content, presented.signature)
    : isEd25519SignatureOf(ed25519PublicKeyFrom(key.publicKey), content, presented.signature);
}
