import type { WebhookEventType } from './webhook-event-types';

/** Who an endpoint belongs to, and so whose events it receives: an app its own links', a bank its accounts'. */
export interface WebhookAudience {
  kind: 'payment_app' | 'bank';
  /** The payment app's client id, or the bank's code. */
  id: string;
}

/** An endpoint's signing secret, sealed at rest (never readable back); `validUntil` null for the current one. */
export interface SealedEndpointSecret {
  sealedSecret: string;
  validUntil: string | null;
}

export type WebhookEndpointEvent =
  | {
      type: 'WebhookEndpointRegistered';
      data: {
        endpointId: string;
        owner: WebhookAudience;
        url: string;
        /** Empty: every type. */
        eventTypes: WebhookEventType[];
        description: string | null;
        sealedSecret: string;
        at: string;
      };
    }
  | {
      type: 'WebhookEndpointSecretRotated';
      data: { endpointId: string; sealedSecret: string; previousSecretValidUntil: string; at: string };
    }
  | {
      type: 'WebhookEndpointDisabled';
      data: { endpointId: string; reason: 'failing_deliveries'; failingSince: string; at: string };
    }
  | { type: 'WebhookEndpointDeleted'; data: { endpointId: string; at: string } };

export type WebhookEndpointEventType = WebhookEndpointEvent['type'];
