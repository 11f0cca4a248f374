export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

// A type alias, not an interface, so it can be passed wherever a plain header record is expected.
export type WebhookHeaders = {
  readonly [WEBHOOK_ID_HEADER]: string;
  readonly [WEBHOOK_TIMESTAMP_HEADER]: string;
  readonly [WEBHOOK_SIGNATURE_HEADER]: string;
};

/** What both signature schemes sign: `{id}.{timestamp}.{raw body}`, byte for byte. */
export function signedContent(id: string, timestampSeconds: string, rawBody: Buffer | string): Buffer {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return Buffer.concat([Buffer.from(`${id}.${timestampSeconds}.`, 'utf8'), body]);
}
