/** Who a client is, as far as authorization goes (API.md "Authentication"). */
export const CLIENT_ROLES = ['payment_app', 'investigator', 'operator', 'bank'] as const;

export type ClientRole = (typeof CLIENT_ROLES)[number];

export const DEFAULT_SCOPES_BY_ROLE: Readonly<Record<ClientRole, readonly string[]>> = {
  payment_app: ['links:write', 'links:read'],
  investigator: ['investigations:read'],
  operator: ['admin'],
  bank: ['bank:read'],
};

export function isClientRole(value: unknown): value is ClientRole {
  return typeof value === 'string' && (CLIENT_ROLES as readonly string[]).includes(value);
}

// RFC 6749 §3.3 scope-token: printable ASCII except space, double quote and backslash.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** Client ids appear in URLs, logs and event metadata: a conservative token only. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
