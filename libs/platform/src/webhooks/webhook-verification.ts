export type WebhookRejectionCode =
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'missing_signature_headers'
  | 'unknown_key';

export type WebhookVerification =
  | {
      readonly ok: true;
      /** The key that verified, kept on the event for re-verification. */
      readonly keyId: string;
      /** Lowercase hex SHA-256 of the raw body. */
      readonly bodySha256: string;
      readonly webhookId: string;
      readonly timestamp: Date;
    }
  | { readonly ok: false; readonly code: WebhookRejectionCode };
