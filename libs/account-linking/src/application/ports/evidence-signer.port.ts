export const EVIDENCE_SIGNER = Symbol('EVIDENCE_SIGNER');

/** Signs evidence as the service, with the key `/.well-known/jwks.json` publishes. */
export interface EvidenceSigner {
  /** A compact JWS over the JSON of `payload`, typed `typ`. */
  sign(payload: object, typ: string): Promise<string>;
}
