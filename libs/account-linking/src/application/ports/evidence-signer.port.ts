import type { JSONWebKeySet } from 'jose';

export const EVIDENCE_SIGNER = Symbol('EVIDENCE_SIGNER');

/** Signs evidence as the service, with the key `/.well-known/jwks.json` publishes. */
export interface EvidenceSigner {
  /** A compact JWS over the RFC 8785 text of `payload`, typed `typ`. */
  sign(payload: object, typ: string): Promise<string>;
  /** The public keys that verify what it signs (the JWKS the service serves). */
  verificationKeys(): JSONWebKeySet;
}
