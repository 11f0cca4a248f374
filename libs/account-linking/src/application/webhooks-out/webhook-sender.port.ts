export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

export interface WebhookRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
}

/** How one POST ended: any 2xx is success; a refusal before connecting has no status code. */
export type WebhookResponse =
  | { outcome: 'answered'; statusCode: number; durationMs: number }
  | { outcome: 'timeout' | 'network_error' | 'address_not_allowed'; durationMs: number };

/** POSTs one signed delivery, following no redirect and reading at most a small part of the answer. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
