import { randomBytes } from 'node:crypto';

/** Each endpoint's stream: registration, secret rotations, disabling, deletion (the endpoint decider). */
export const WEBHOOK_ENDPOINT_STREAM_PREFIX = 'webhook-endpoint-';

export const webhookEndpointStream = (endpointId: string) => `${WEBHOOK_ENDPOINT_STREAM_PREFIX}${endpointId}`;

/** What an endpoint id looks like at the edge (`whe_…`); anything else names no endpoint. */
export const WEBHOOK_ENDPOINT_ID_PATTERN = /^whe_[A-Za-z0-9_-]{1,64}$/;

export const newWebhookEndpointId = (): string => `whe_${randomBytes(16).toString('base64url')}`;
