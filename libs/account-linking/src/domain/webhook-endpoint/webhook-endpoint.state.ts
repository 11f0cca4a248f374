import type { SealedEndpointSecret, WebhookAudience } from './webhook-endpoint.events';
import type { WebhookEventType } from './webhook-event-types';

export interface RegisteredWebhookEndpoint {
  status: 'enabled' | 'disabled' | 'deleted';
  endpointId: string;
  owner: WebhookAudience;
  url: string;
  eventTypes: WebhookEventType[];
  description: string | null;
  /** The current secret first; while a rotation overlaps, the previous one after it. */
  secrets: SealedEndpointSecret[];
  createdAt: string;
  disabledAt: string | null;
}

export type WebhookEndpointState = { status: 'none' } | RegisteredWebhookEndpoint;

export const initialWebhookEndpointState = (): WebhookEndpointState => ({ status: 'none' });
