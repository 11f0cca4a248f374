export const WEBHOOK_SECRET_SEALER = Symbol('WEBHOOK_SECRET_SEALER');

/** Endpoint secrets at rest: events and tables hold them only sealed; only the signer opens them. */
export interface WebhookSecretSealer {
  seal(endpointId: string, secret: string): Promise<string>;
  /** Undefined when the sealed secret can no longer be opened. */
  open(sealedSecret: string): Promise<string | undefined>;
}
