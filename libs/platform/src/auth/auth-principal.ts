import type { ClientRole } from './client-role';

/** The authenticated caller of a request: a client of the service, never an end customer. */
export interface AuthPrincipal {
  readonly clientId: string;
  readonly role: ClientRole;
  readonly scopes: readonly string[];
}

// Keyed by the request object, so nothing is bolted onto the framework's request type.
const principals = new WeakMap<object, AuthPrincipal>();

export function attachPrincipal(request: object, principal: AuthPrincipal): void {
  principals.set(request, principal);
}

export function principalOf(request: object): AuthPrincipal | undefined {
  return principals.get(request);
}
