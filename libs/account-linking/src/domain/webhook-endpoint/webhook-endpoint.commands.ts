import type { WebhookAudience } from './webhook-endpoint.events';
import type { WebhookEventType } from './webhook-event-types';

export type WebhookEndpointCommand =
  | {
      type: 'RegisterWebhookEndpoint';
      data: {
        endpointId: string;
        owner: WebhookAudience;
        url: string;
        eventTypes: WebhookEventType[];
        description: string | null;
        sealedSecret: string;
        now: string;
      };
    }
  | {
      type: 'RotateWebhookEndpointSecret';
      data: { caller: WebhookAudience; sealedSecret: string; overlapUntil: string; now: string };
    }
  | { type: 'DisableWebhookEndpoint'; data: { failingSince: string; now: string } }
  | { type: 'DeleteWebhookEndpoint'; data: { caller: WebhookAudience; now: string } };
