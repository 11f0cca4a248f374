import { createRemoteJWKSet, errors, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from 'jose';
import { ACCESS_TOKEN_TYPE, InvalidAccessTokenError, principalFromClaims } from './access-token-claims';
import type { AuthPrincipal } from './auth-principal';
import type { SigningKey } from './signing-key';

/**
 * Checks a bearer token and names its principal. A bad token is an `InvalidAccessTokenError`; an external
 * issuer whose keys cannot be fetched is an `IssuerKeysUnavailableError` (our outage, not the caller's fault).
 */
export interface AccessTokenVerifier {
  verify(token: string): Promise<AuthPrincipal>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');

export class IssuerKeysUnavailableError extends Error {
  override readonly name = 'IssuerKeysUnavailableError';
}

export interface TrustedIssuer {
  readonly issuer: string;
  readonly audience: string;
}

const MAX_TOKEN_LENGTH = 8 * 1024;
const CLOCK_TOLERANCE_SECONDS = 5;
// Asymmetric only: an HMAC algorithm here would let the public key be used as a shared secret.
const EXTERNAL_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'RS256', 'PS256'];

/** Trusts the tokens this service signed itself. */
export function ownAccessTokenVerifier(key: SigningKey, trusted: TrustedIssuer): AccessTokenVerifier {
  return joseVerifier(async () => key.publicKey, {
    algorithms: [key.algorithm],
    typ: ACCESS_TOKEN_TYPE,
    issuer: trusted.issuer,
    audience: trusted.audience,
  });
}

/** Trusts the tokens of an external issuer whose keys are published at `jwksUrl` (fetched and cached). */
export function externalAccessTokenVerifier(jwksUrl: string, trusted: TrustedIssuer): AccessTokenVerifier {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  const keyOrOutage: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new IssuerKeysUnavailableError(`the keys at ${jwksUrl} could not be fetched`, { cause: error });
    }
  };
  return joseVerifier(keyOrOutage, {
    algorithms: EXTERNAL_ALGORITHMS,
    issuer: trusted.issuer,
    audience: trusted.audience,
  });
}

function joseVerifier(key: JWTVerifyGetKey, options: JWTVerifyOptions): AccessTokenVerifier {
  const verifyOptions: JWTVerifyOptions = {
    ...options,
    requiredClaims: ['sub', 'exp', 'iat'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new InvalidAccessTokenError('the token is too long');
      try {
        const { payload } = await jwtVerify(token, key, verifyOptions);
        return principalFromClaims(payload);
      } catch (error) {
        if (error instanceof InvalidAccessTokenError || error instanceof IssuerKeysUnavailableError) throw error;
        throw new InvalidAccessTokenError('the token did not verify', { cause: error });
      }
    },
  };
}
