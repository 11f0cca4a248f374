import { DeciderSpecification } from '../testing/decider-specification';
import { webhookEndpointDecider } from './webhook-endpoint.decider';
import { WebhookEndpointRefused } from './webhook-endpoint.error';
import type { WebhookEndpointEvent } from './webhook-endpoint.events';

const given = DeciderSpecification.for(webhookEndpointDecider);
const owner = { kind: 'payment_app' as const, id: 'wallet-pay' };
const registered: WebhookEndpointEvent = {
  type: 'WebhookEndpointRegistered',
  data: {
    endpointId: 'whe_1',
    owner,
    url: 'https://wallet.example/hooks',
    eventTypes: [],
    description: null,
    sealedSecret: 'sealed-1',
    at: '2026-11-21T10:00:00.000Z',
  },
};
const now = '2026-11-22T10:00:00.000Z';

const refusal = (events: WebhookEndpointEvent[], command: Parameters<typeof webhookEndpointDecider.decide>[0]) => {
  try {
    webhookEndpointDecider.decide(
      command,
      events.reduce(webhookEndpointDecider.evolve, webhookEndpointDecider.initialState()),
    );
  } catch (error) {
    return error instanceof WebhookEndpointRefused ? error.code : error;
  }
  return undefined;
};

describe('the webhook endpoint decider', () => {
  it('registers an endpoint once', () => {
    const { at, ...data } = registered.data as Extract<
      WebhookEndpointEvent,
      { type: 'WebhookEndpointRegistered' }
    >['data'];
    given([])
      .when({ type: 'RegisterWebhookEndpoint', data: { ...data, now: at } })
      .then([registered]);
    expect(refusal([registered], { type: 'RegisterWebhookEndpoint', data: { ...data, now: at } })).toBe(
      'webhook_endpoint_exists',
    );
  });

  it('rotates the secret for its owner, keeping the previous one until the overlap ends', () => {
    const rotate = { caller: owner, sealedSecret: 'sealed-2', overlapUntil: '2026-11-23T10:00:00.000Z', now };
    given([registered])
      .when({ type: 'RotateWebhookEndpointSecret', data: rotate })
      .then([
        {
          type: 'WebhookEndpointSecretRotated',
          data: {
            endpointId: 'whe_1',
            sealedSecret: 'sealed-2',
            previousSecretValidUntil: rotate.overlapUntil,
            at: now,
          },
        },
      ]);
    const rotated = webhookEndpointDecider.decide(
      { type: 'RotateWebhookEndpointSecret', data: rotate },
      webhookEndpointDecider.evolve(webhookEndpointDecider.initialState(), registered),
    );
    const state = [registered, ...rotated].reduce(webhookEndpointDecider.evolve, webhookEndpointDecider.initialState());
    expect(state.status !== 'none' && state.secrets).toEqual([
      { sealedSecret: 'sealed-2', validUntil: null },
      { sealedSecret: 'sealed-1', validUntil: rotate.overlapUntil },
    ]);
  });

  it("treats another client's endpoint as unknown, and a deleted one too", () => {
    const stranger = { kind: 'bank' as const, id: '0005' };
    expect(refusal([registered], { type: 'DeleteWebhookEndpoint', data: { caller: stranger, now } })).toBe(
      'webhook_endpoint_not_found',
    );
    const deleted: WebhookEndpointEvent = { type: 'WebhookEndpointDeleted', data: { endpointId: 'whe_1', at: now } };
    expect(refusal([registered, deleted], { type: 'DeleteWebhookEndpoint', data: { caller: owner, now } })).toBe(
      'webhook_endpoint_not_found',
    );
    expect(refusal([], { type: 'DeleteWebhookEndpoint', data: { caller: owner, now } })).toBe(
      'webhook_endpoint_not_found',
    );
  });

  it('disables an enabled endpoint once, and never a deleted one', () => {
    const disable = {
      type: 'DisableWebhookEndpoint' as const,
      data: { failingSince: '2026-11-16T10:00:00.000Z', now },
    };
    const disabled: WebhookEndpointEvent = {
      type: 'WebhookEndpointDisabled',
      data: { endpointId: 'whe_1', reason: 'failing_deliveries', failingSince: disable.data.failingSince, at: now },
    };
    given([registered]).when(disable).then([disabled]);
    given([registered, disabled]).when(disable).thenNothingHappened();
    given([registered, { type: 'WebhookEndpointDeleted', data: { endpointId: 'whe_1', at: now } }])
      .when(disable)
      .thenNothingHappened();
  });
});
