import { randomBytes } from 'node:crypto';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import type { ClientRole } from '@lib/platform/auth/client-role';
import type { ServiceUnderTest } from './service-under-test';

/** Registers (or re-keys) a client of any role, e.g. a bank's `bank-<code>`, and returns a bearer token for it. */
export async function clientToken(service: ServiceUnderTest, clientId: string, role: ClientRole): Promise<string> {
  const secret = randomBytes(24).toString('base64url');
  await service.app
    .get<ClientRegistry>(CLIENT_REGISTRY)
    .upsert({ clientId, secret, role, displayName: `Test ${role} ${clientId}` });
  const response = await service.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }).toString(),
  });
  if (response.statusCode !== 200) throw new Error(`token for ${clientId}: ${response.statusCode} ${response.body}`);
  return response.json().access_token as string;
}
