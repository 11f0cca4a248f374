import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type JWK, type JWTPayload, SignJWT } from 'jose';
import { InvalidAccessTokenError } from './access-token-claims';
import { externalAccessTokenVerifier, IssuerKeysUnavailableError } from './access-token-verifier';
import { type JwksServer, startJwksServer } from './testing/jwks-server';

const trusted = { issuer: 'https://idp.example', audience: 'kouza-link-api' };

function externalKey(kid: string): { privateKey: KeyObject; jwk: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'ES256', use: 'sig' } };
}

function signWith(key: { privateKey: KeyObject; jwk: JWK }, claims: JWTPayload, issuer = trusted.issuer) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid ?? '' })
    .setSubject('partner-app')
    .setIssuer(issuer)
    .setAudience(trusted.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

describe('trusting an external issuer by its JWKS', () => {
  const current = externalKey('k1');
  let jwks: JwksServer;

  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [current.jwk] });
  });

  afterAll(async () => {
    await jwks.close();
  });

  beforeEach(() => jwks.serve({ keys: [current.jwk] }));

  it('accepts a token signed by a published key, reading scopes from scope or scp', async () => {
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    await expect(
      verifier.verify(await signWith(current, { role: 'payment_app', scope: 'links:read' })),
    ).resolves.toEqual({ clientId: 'partner-app', role: 'payment_app', scopes: ['links:read'] });
    await expect(
      verifier.verify(await signWith(current, { role: 'investigator', scp: ['investigations:read'] })),
    ).resolves.toMatchObject({ role: 'investigator', scopes: ['investigations:read'] });
  });

  it('fetches the key set once and caches it', async () => {
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    const before = jwks.requests();
    for (let i = 0; i < 3; i += 1) await verifier.verify(await signWith(current, { role: 'operator', scope: 'admin' }));
    expect(jwks.requests() - before).toBe(1);
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    const rogue = externalKey('k1');
    await expect(verifier.verify(await signWith(rogue, { role: 'operator', scope: 'admin' }))).rejects.toThrow(
      InvalidAccessTokenError,
    );
    const unknownKid = externalKey('k-unknown');
    await expect(verifier.verify(await signWith(unknownKid, { role: 'operator', scope: 'admin' }))).rejects.toThrow(
      InvalidAccessTokenError,
    );
  });

  it('refuses a token from another issuer even when its key is published', async () => {
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    const token = await signWith(current, { role: 'operator', scope: 'admin' }, 'https://other.example');
    await expect(verifier.verify(token)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses a token without one of our roles', async () => {
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    await expect(verifier.verify(await signWith(current, { scope: 'admin' }))).rejects.toThrow('no known role');
  });

  it('tells an unreachable key set apart from a bad token', async () => {
    jwks.serve(500);
    const verifier = externalAccessTokenVerifier(jwks.url, trusted);
    await expect(verifier.verify(await signWith(current, { role: 'operator', scope: 'admin' }))).rejects.toThrow(
      IssuerKeysUnavailableError,
    );
  });
});
