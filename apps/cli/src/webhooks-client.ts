import { ServiceClient, type ServiceClientOptions } from './service-client';

export interface WebhookEndpointView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  createdAt: string;
  disabledAt?: string | null;
}

export interface WebhookDeliveryAttemptView {
  eventId: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseCode: number | null;
  durationMs: number;
  at: string;
}

const endpointPath = (endpointId: string) => `/v1/webhook-endpoints/${encodeURIComponent(endpointId)}`;

/**
 * The webhook endpoints of the payment app or bank whose token it holds (API.md "Webhooks out"): a client
 * sees only its own, so no scope is asked for, the token carries the client's own.
 */
export class WebhooksClient extends ServiceClient {
  constructor(options: ServiceClientOptions) {
    super(options, undefined);
  }

  endpoints(): Promise<{ items: WebhookEndpointView[] }> {
    return this.call('GET', '/v1/webhook-endpoints');
  }

  deliveries(
    endpointId: string,
    page: { cursor?: string; limit?: number },
  ): Promise<{ items: WebhookDeliveryAttemptView[]; nextCursor: string | null }> {
    const query = new URLSearchParams();
    if (page.cursor !== undefined) query.set('cursor', page.cursor);
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    const search = query.toString();
    return this.call('GET', `${endpointPath(endpointId)}/deliveries${search ? `?${search}` : ''}`);
  }

  replay(
    endpointId: string,
    window: { since: string; until?: string },
  ): Promise<{ replayId: string; deliveries: number }> {
    return this.call('POST', `${endpointPath(endpointId)}/replays`, { body: window });
  }
}
