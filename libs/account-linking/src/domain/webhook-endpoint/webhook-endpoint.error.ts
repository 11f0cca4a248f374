/** Codes of endpoint commands the endpoint's state refuses: nothing is recorded. */
export type WebhookEndpointRefusalCode = 'webhook_endpoint_not_found' | 'webhook_endpoint_exists';

export class WebhookEndpointRefused extends Error {
  override readonly name = 'WebhookEndpointRefused';

  constructor(
    readonly code: WebhookEndpointRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
