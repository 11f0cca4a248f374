import { randomUUID } from 'node:crypto';
import { type JSONWebKeySet, SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, principalClaims } from './access-token-claims';
import type { AuthPrincipal } from './auth-principal';
import type { SigningKey } from './signing-key';

export interface AccessTokenIssuerOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export interface IssuedAccessToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly scope: string;
}

export const ACCESS_TOKEN_ISSUER = Symbol('ACCESS_TOKEN_ISSUER');

/** Signs the short-lived JWT access tokens of this service. */
export class AccessTokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly options: AccessTokenIssuerOptions,
  ) {}

  async issue(principal: AuthPrincipal, now = new Date()): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const accessToken = await new SignJWT(principalClaims(principal))
      .setProtectedHeader({ alg: this.key.algorithm, kid: this.key.publicJwk.kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(principal.clientId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { accessToken, expiresIn: this.options.ttlSeconds, scope: principal.scopes.join(' ') };
  }

  /** The public keys that verify these tokens, for `/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet {
    return { keys: [this.key.publicJwk] };
  }
}
