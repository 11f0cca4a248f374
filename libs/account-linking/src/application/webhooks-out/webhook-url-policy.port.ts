export const WEBHOOK_URL_POLICY = Symbol('WEBHOOK_URL_POLICY');

/** Where the service may send webhooks (API.md: https, no private, loopback or link-local address). */
export interface WebhookUrlPolicy {
  /** Why the URL is refused, in words for the caller; undefined when it is allowed. */
  refusalOf(url: string): Promise<string | undefined>;
}
