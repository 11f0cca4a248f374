import type { JWTPayload } from 'jose';
import type { AuthPrincipal } from './auth-principal';
import { isClientRole } from './client-role';

/** RFC 9068 `typ` of the access tokens this service signs. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

/** The claims beyond the registered ones (`iss`, `aud`, `iat`, `exp`, `jti`, `sub`) that carry the principal. */
export function principalClaims(principal: AuthPrincipal): JWTPayload {
  return { client_id: principal.clientId, role: principal.role, scope: principal.scopes.join(' ') };
}

/** Reads the principal from verified claims; an external issuer may give scopes as `scp` (an array). */
export function principalFromClaims(payload: JWTPayload): AuthPrincipal {
  const { sub, role, scope, scp } = payload;
  if (typeof sub !== 'string' || sub === '' || sub.length > 256) {
    throw new InvalidAccessTokenError('the token has no usable sub');
  }
  if (!isClientRole(role)) throw new InvalidAccessTokenError('the token has no known role');
  return { clientId: sub, role, scopes: scopesOf(scope, scp) };
}

function scopesOf(scope: unknown, scp: unknown): readonly string[] {
  if (typeof scope === 'string') return scope.split(' ').filter((token) => token !== '');
  if (Array.isArray(scp) && scp.every((token) => typeof token === 'string')) return scp;
  if (scope === undefined && scp === undefined) return [];
  throw new InvalidAccessTokenError('the token scope is malformed');
}
