import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { InvalidConfigError } from '../config/app-config';

export type SigningAlgorithm = 'EdDSA' | 'ES256';

/** The key this service signs its access tokens with; its public half is served as the JWKS. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Carries `kid` (the RFC 7638 thumbprint), `alg` and `use`. */
  readonly publicJwk: JWK;
  /** True when no key was configured: tokens then die with the process, and other replicas reject them. */
  readonly generated: boolean;
}

/** The configured PKCS#8 PEM key, or a fresh Ed25519 key when `pem` is undefined. */
export async function loadSigningKey(pem?: string): Promise<SigningKey> {
  const privateKey = pem === undefined ? generateKeyPairSync('ed25519').privateKey : parsePrivateKey(pem);
  const algorithm = algorithmOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return {
    algorithm,
    privateKey,
    publicKey,
    publicJwk: { ...jwk, kid, alg: algorithm, use: 'sig' },
    generated: pem === undefined,
  };
}

function parsePrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The driver's message is not repeated: nothing about the key goes to the logs.
    throw invalidKey('JWT_PRIVATE_KEY is not a readable PEM private key');
  }
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw invalidKey('JWT_PRIVATE_KEY must be an Ed25519 or P-256 key');
}

function invalidKey(message: string): InvalidConfigError {
  return new InvalidConfigError([{ variable: 'JWT_PRIVATE_KEY', message }]);
}
