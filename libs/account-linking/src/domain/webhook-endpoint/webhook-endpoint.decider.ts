import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import type { WebhookEndpointCommand } from './webhook-endpoint.commands';
import { WebhookEndpointRefused } from './webhook-endpoint.error';
import type { WebhookAudience, WebhookEndpointEvent } from './webhook-endpoint.events';
import {
  initialWebhookEndpointState,
  type RegisteredWebhookEndpoint,
  type WebhookEndpointState,
} from './webhook-endpoint.state';

const sameAudience = (a: WebhookAudience, b: WebhookAudience) => a.kind === b.kind && a.id === b.id;

/** Narrows to an endpoint the caller owns and has not deleted; anyone else's is "not found" (no existence leak). */
const requireOwnEndpoint = (state: WebhookEndpointState, caller: WebhookAudience): RegisteredWebhookEndpoint => {
  if (state.status === 'none' || state.status === 'deleted' || !sameAudience(state.owner, caller)) {
    throw new WebhookEndpointRefused('webhook_endpoint_not_found', 'No such webhook endpoint');
  }
  return state;
};

export function decideWebhookEndpoint(
  command: WebhookEndpointCommand,
  state: WebhookEndpointState,
): WebhookEndpointEvent[] {
  switch (command.type) {
    case 'RegisterWebhookEndpoint': {
      if (state.status !== 'none') {
        throw new WebhookEndpointRefused('webhook_endpoint_exists', 'This endpoint id is taken');
      }
      const { now, ...data } = command.data;
      return [{ type: 'WebhookEndpointRegistered', data: { ...data, at: now } }];
    }
    case 'RotateWebhookEndpointSecret': {
      const endpoint = requireOwnEndpoint(state, command.data.caller);
      const { sealedSecret, overlapUntil, now } = command.data;
      return [
        {
          type: 'WebhookEndpointSecretRotated',
          data: { endpointId: endpoint.endpointId, sealedSecret, previousSecretValidUntil: overlapUntil, at: now },
        },
      ];
    }
    case 'DisableWebhookEndpoint': {
      // Only an enabled endpoint is disabled, once: a second poller's report of the same failures records nothing.
      if (state.status !== 'enabled') return [];
      const { failingSince, now } = command.data;
      return [
        {
          type: 'WebhookEndpointDisabled',
          data: { endpointId: state.endpointId, reason: 'failing_deliveries', failingSince, at: now },
        },
      ];
    }
    case 'DeleteWebhookEndpoint': {
      const endpoint = requireOwnEndpoint(state, command.data.caller);
      return [{ type: 'WebhookEndpointDeleted', data: { endpointId: endpoint.endpointId, at: command.data.now } }];
    }
    default:
      return assertNever(command, 'webhook endpoint command');
  }
}

export function evolveWebhookEndpoint(state: WebhookEndpointState, event: WebhookEndpointEvent): WebhookEndpointState {
  switch (event.type) {
    case 'WebhookEndpointRegistered': {
      const { endpointId, owner, url, eventTypes, description, sealedSecret, at } = event.data;
      return {
        status: 'enabled',
        endpointId,
        owner,
        url,
        eventTypes,
        description,
        secrets: [{ sealedSecret, validUntil: null }],
        createdAt: at,
        disabledAt: null,
      };
    }
    case 'WebhookEndpointSecretRotated': {
      if (state.status === 'none') return state;
      const current = state.secrets[0];
      // One overlap at a time: a second rotation within it ends the oldest secret at once.
      const previous = current
        ? [{ sealedSecret: current.sealedSecret, validUntil: event.data.previousSecretValidUntil }]
        : [];
      return { ...state, secrets: [{ sealedSecret: event.data.sealedSecret, validUntil: null }, ...previous] };
    }
    case 'WebhookEndpointDisabled':
      return state.status === 'enabled' ? { ...state, status: 'disabled', disabledAt: event.data.at } : state;
    case 'WebhookEndpointDeleted':
      return state.status === 'none' ? state : { ...state, status: 'deleted' };
    default:
      return assertNever(event, 'webhook endpoint event');
  }
}

export const webhookEndpointDecider: Decider<WebhookEndpointState, WebhookEndpointCommand, WebhookEndpointEvent> = {
  decide: decideWebhookEndpoint,
  evolve: evolveWebhookEndpoint,
  initialState: initialWebhookEndpointState,
};
