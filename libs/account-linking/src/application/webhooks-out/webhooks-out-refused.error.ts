/** Refusals of the webhooks-out use cases that are not the endpoint decider's: the edge maps them to HTTP. */
export type WebhooksOutRefusalCode = 'webhook_url_not_allowed' | 'webhook_endpoint_not_found';

export class WebhooksOutRefused extends Error {
  override readonly name = 'WebhooksOutRefused';

  constructor(
    readonly code: WebhooksOutRefusalCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}
