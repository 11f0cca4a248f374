import { randomBytes } from 'node:crypto';
import { InvalidConfigError } from '../config/app-config';
import { type ClientRegistry, MAX_CLIENT_SECRET_LENGTH, MIN_CLIENT_SECRET_LENGTH } from './client-registry';
import type { ClientRole } from './client-role';

interface SandboxClient {
  readonly clientId: string;
  readonly role: ClientRole;
  readonly displayName: string;
  readonly secretVariable: string;
}

/** API.md "Sandbox". */
export const SANDBOX_CLIENTS: readonly SandboxClient[] = [
  {
    clientId: 'sandbox-app',
    role: 'payment_app',
    displayName: 'Sandbox payment app',
    secretVariable: 'SANDBOX_APP_SECRET',
  },
  {
    clientId: 'sandbox-investigator',
    role: 'investigator',
    displayName: 'Sandbox investigator',
    secretVariable: 'SANDBOX_INVESTIGATOR_SECRET',
  },
  {
    clientId: 'sandbox-operator',
    role: 'operator',
    displayName: 'Sandbox operator',
    secretVariable: 'SANDBOX_OPERATOR_SECRET',
  },
];

export interface SeededSandboxClient {
  readonly clientId: string;
  readonly role: ClientRole;
  readonly secretFrom: 'environment' | 'generated';
}

/**
 * Registers (or re-keys) the sandbox clients at every start. A secret missing from the environment is
 * generated and logged once: it is a sandbox credential meant to be shown, unlike any other secret.
 */
export async function seedSandboxClients(
  registry: ClientRegistry,
  env: Record<string, string | undefined>,
  log: { log(message: string): void },
): Promise<SeededSandboxClient[]> {
  const unusable = SANDBOX_CLIENTS.map((client) => client.secretVariable).filter((variable) => {
    const configured = env[variable];
    return configured && (configured.length < MIN_CLIENT_SECRET_LENGTH || configured.length > MAX_CLIENT_SECRET_LENGTH);
  });
  if (unusable.length > 0) {
    const message = `must be ${MIN_CLIENT_SECRET_LENGTH} to ${MAX_CLIENT_SECRET_LENGTH} characters long`;
    throw new InvalidConfigError(unusable.map((variable) => ({ variable, message })));
  }
  const seeded: SeededSandboxClient[] = [];
  for (const client of SANDBOX_CLIENTS) {
    const configured = env[client.secretVariable];
    const secret = configured || randomBytes(24).toString('base64url');
    await registry.upsert({ clientId: client.clientId, secret, role: client.role, displayName: client.displayName });
    if (configured) {
      log.log(`Sandbox client ${client.clientId} (${client.role}) uses the secret in ${client.secretVariable}`);
    } else {
      log.log(
        `Sandbox client ${client.clientId} (${client.role}): ${client.secretVariable} is unset, generated secret: ${secret}`,
      );
    }
    seeded.push({ clientId: client.clientId, role: client.role, secretFrom: configured ? 'environment' : 'generated' });
  }
  return seeded;
}
