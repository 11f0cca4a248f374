import canonicalize from 'canonicalize';
import { CompactSign, type JSONWebKeySet } from 'jose';
import type { SigningKey } from './signing-key';

/** Compact JWS with the service's signing key (the one its JWKS publishes), for evidence anyone can verify. */
export class JwsEvidenceSigner {
  constructor(private readonly key: SigningKey) {}

  /** The payload is the RFC 8785 text of `payload`, so a verifier can hold it byte for byte against the fields. */
  sign(payload: object, typ: string): Promise<string> {
    const text = canonicalize(payload);
    if (text === undefined) throw new Error('The evidence payload has no canonical JSON form');
    return new CompactSign(new TextEncoder().encode(text))
      .setProtectedHeader({ alg: this.key.algorithm, kid: this.key.publicJwk.kid, typ })
      .sign(this.key.privateKey);
  }

  /** The public half, as `/.well-known/jwks.json` serves it. */
  verificationKeys(): JSONWebKeySet {
    return { keys: [this.key.publicJwk] };
  }
}
