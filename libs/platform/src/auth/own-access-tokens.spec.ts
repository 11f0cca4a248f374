import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { InvalidConfigError } from '../config/app-config';
import { InvalidAccessTokenError } from './access-token-claims';
import { AccessTokenIssuer } from './access-token-issuer';
import { ownAccessTokenVerifier } from './access-token-verifier';
import type { AuthPrincipal } from './auth-principal';
import { loadSigningKey, type SigningKey } from './signing-key';

const trusted = { issuer: 'kouza-link', audience: 'kouza-link-api' };
const app: AuthPrincipal = { clientId: 'app-1', role: 'payment_app', scopes: ['links:write', 'links:read'] };

describe('access tokens this service signs', () => {
  let key: SigningKey;
  let issuer: AccessTokenIssuer;

  beforeAll(async () => {
    key = await loadSigningKey();
    issuer = new AccessTokenIssuer(key, { ...trusted, ttlSeconds: 900 });
  });

  const verifier = () => ownAccessTokenVerifier(key, trusted);

  it('carries the principal and the registered claims, signed EdDSA with the key id', async () => {
    const { accessToken, expiresIn, scope } = await issuer.issue(app, new Date());
    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);
    expect(header).toEqual({ alg: 'EdDSA', kid: key.publicJwk.kid, typ: 'at+jwt' });
    expect(claims).toMatchObject({
      sub: 'app-1',
      client_id: 'app-1',
      role: 'payment_app',
      scope: 'links:write links:read',
      iss: 'kouza-link',
      aud: 'kouza-link-api',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(expiresIn).toBe(900);
    expect(scope).toBe('links:write links:read');
    await expect(verifier().verify(accessToken)).resolves.toEqual(app);
  });

  it('gives each token its own jti', async () => {
    const [a, b] = await Promise.all([issuer.issue(app), issuer.issue(app)]);
    expect(decodeJwt(a.accessToken).jti).not.toBe(decodeJwt(b.accessToken).jti);
  });

  it('refuses a token that expired a minute ago', async () => {
    const { accessToken } = await issuer.issue(app, new Date(Date.now() - 960_000));
    await expect(verifier().verify(accessToken)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses a token for another audience or from another issuer', async () => {
    const otherAudience = new AccessTokenIssuer(key, { ...trusted, audience: 'someone-else', ttlSeconds: 900 });
    const otherIssuer = new AccessTokenIssuer(key, { ...trusted, issuer: 'not-us', ttlSeconds: 900 });
    await expect(verifier().verify((await otherAudience.issue(app)).accessToken)).rejects.toThrow(
      InvalidAccessTokenError,
    );
    await expect(verifier().verify((await otherIssuer.issue(app)).accessToken)).rejects.toThrow(
      InvalidAccessTokenError,
    );
  });

  it('refuses an unsigned (alg none) token with the same claims', async () => {
    const claims = decodeJwt((await issuer.issue(app)).accessToken);
    const unsigned = new UnsecuredJWT(claims).encode();
    await expect(verifier().verify(unsigned)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses an HS256 token whose secret is the public key (algorithm confusion)', async () => {
    const claims = decodeJwt((await issuer.issue(app)).accessToken);
    const publicBytes = key.publicKey.export({ format: 'der', type: 'spki' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(createSecretKey(publicBytes));
    await expect(verifier().verify(forged)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses a token signed by another key, and a tampered one', async () => {
    const stranger = new AccessTokenIssuer(await loadSigningKey(), { ...trusted, ttlSeconds: 900 });
    await expect(verifier().verify((await stranger.issue(app)).accessToken)).rejects.toThrow(InvalidAccessTokenError);
    const [header, , signature] = (await issuer.issue(app)).accessToken.split('.');
    const operatorClaims = Buffer.from(
      JSON.stringify({ ...decodeJwt((await issuer.issue(app)).accessToken), role: 'operator' }),
    );
    const tampered = `${header}.${operatorClaims.toString('base64url')}.${signature}`;
    await expect(verifier().verify(tampered)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses a token of its own key that is not an access token (typ)', async () => {
    const claims = decodeJwt((await issuer.issue(app)).accessToken);
    const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(key.privateKey);
    await expect(verifier().verify(idToken)).rejects.toThrow(InvalidAccessTokenError);
  });

  it('refuses a signed token without a known role', async () => {
    const claims = decodeJwt((await issuer.issue(app)).accessToken);
    const noRole = await new SignJWT({ ...claims, role: 'superuser' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .sign(key.privateKey);
    await expect(verifier().verify(noRole)).rejects.toThrow('no known role');
  });

  it('refuses garbage without trying to parse a huge header', async () => {
    await expect(verifier().verify('not.a.jwt')).rejects.toThrow(InvalidAccessTokenError);
    await expect(verifier().verify('a'.repeat(9000))).rejects.toThrow('too long');
  });
});

describe('the configured signing key', () => {
  it('signs ES256 with a P-256 PEM key and EdDSA with an Ed25519 one', async () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
    const es256 = await loadSigningKey(p256.toString());
    expect(es256).toMatchObject({ algorithm: 'ES256', generated: false, publicJwk: { kty: 'EC', crv: 'P-256' } });
    expect((await loadSigningKey(ed25519.toString())).algorithm).toBe('EdDSA');
    const issuer = new AccessTokenIssuer(es256, { ...trusted, ttlSeconds: 60 });
    await expect(ownAccessTokenVerifier(es256, trusted).verify((await issuer.issue(app)).accessToken)).resolves.toEqual(
      app,
    );
  });

  it('serves only the public half in its JWK', async () => {
    const key = await loadSigningKey();
    expect(key.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: expect.stringMatching(/^[\w-]{43}$/),
      alg: 'EdDSA',
      use: 'sig',
    });
  });

  it('rejects an RSA key and an unreadable PEM without repeating the key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    await expect(loadSigningKey(rsa.toString())).rejects.toThrow(InvalidConfigError);
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----';
    const error = await loadSigningKey(garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(String((error as Error).message)).not.toContain('c2VjcmV0');
  });
});
