import { CompactSign } from 'jose';
import type { SigningKey } from './signing-key';

/** Compact JWS with the service's signing key (the one its JWKS publishes), for evidence anyone can verify. */
export class JwsEvidenceSigner {
  constructor(private readonly key: SigningKey) {}

  sign(payload: object, typ: string): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: this.key.algorithm, kid: this.key.publicJwk.kid, typ })
      .sign(this.key.privateKey);
  }
}
