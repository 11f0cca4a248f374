import {
  DeleteWebhookEndpointHandler,
  RegisterWebhookEndpointHandler,
  ReplayWebhookEventsHandler,
  RotateWebhookEndpointSecretHandler,
} from '@lib/account-linking/application/webhooks-out/commands/webhook-endpoint.handlers';
import {
  GetWebhookEndpointHandler,
  ListWebhookEndpointsHandler,
  ListWebhookEventsHandler,
  WebhookDeliveryLogHandler,
} from '@lib/account-linking/application/webhooks-out/queries/webhooks-out.handlers';
import { WebhookEndpointsHttpController } from './webhook-endpoints.http.controller';
import { WebhookEventsHttpController } from './webhook-events.http.controller';

/**
 * The api role's part of webhooks out: endpoints, their deliveries and replays, and the events API, listed
 * in AccountLinkingModule (whose idempotency store they share). The outbox and the endpoint streams come
 * from WebhooksOutModule (global, in AccountLinkingCoreModule).
 */
export const WEBHOOKS_OUT_API = {
  controllers: [WebhookEndpointsHttpController, WebhookEventsHttpController],
  providers: [
    RegisterWebhookEndpointHandler,
    RotateWebhookEndpointSecretHandler,
    DeleteWebhookEndpointHandler,
    ReplayWebhookEventsHandler,
    ListWebhookEndpointsHandler,
    GetWebhookEndpointHandler,
    WebhookDeliveryLogHandler,
    ListWebhookEventsHandler,
  ],
};
