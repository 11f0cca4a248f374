import type { InjectOptions } from 'light-my-request';
import { Webhook } from 'standardwebhooks';
import { eventually } from './eventually';
import { aLinkRequest } from './link-request';
import type { ServiceUnderTest } from './service-under-test';
import type { ReceivedWebhook } from './webhook-receiver';

/** A request of a client with a bearer token, answered as JSON. */
export async function call(
  service: ServiceUnderTest,
  token: string,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
) {
  return service.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

export async function registerEndpoint(
  service: ServiceUnderTest,
  token: string,
  url: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; secret: string; status: string; url: string; eventTypes: string[] }> {
  const response = await call(service, token, 'POST', '/v1/webhook-endpoints', { url, ...extra });
  if (response.statusCode !== 201) throw new Error(`register ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A link of the app at Sandbox Bank (9900), authenticated by the simulated bank, once it is active. */
export async function anActiveLink(service: ServiceUnderTest, token: string): Promise<string> {
  const created = await call(service, token, 'POST', '/v1/links', aLinkRequest());
  if (created.statusCode !== 201) throw new Error(`link: ${created.statusCode} ${created.body}`);
  const linkId = created.json().id as string;
  const simulated = await call(service, token, 'POST', '/v1/sandbox/banks/9900/authentications', {
    linkId,
    scenario: 'success',
  });
  if (simulated.statusCode !== 200) throw new Error(`bank: ${simulated.statusCode} ${simulated.body}`);
  await eventually(async () => {
    const link = await call(service, token, 'GET', `/v1/links/${linkId}`);
    expect(link.json().status).toBe('active');
  });
  return linkId;
}

/** Verified by the Standard Webhooks reference implementation, not by our own code; returns the payload. */
export function verified(
  secret: string,
  request: ReceivedWebhook,
): { id: string; type: string; createdAt: string; data: any } {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as never;
}

/** The received deliveries of one link, in order of arrival. */
export const ofLink = (requests: readonly ReceivedWebhook[], linkId: string) =>
  requests.filter((request) => (JSON.parse(request.body) as { data: { id: string } }).data.id === linkId);
