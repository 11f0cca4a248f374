import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type JWK, SignJWT } from 'jose';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { type JwksServer, startJwksServer } from '@lib/platform/auth/testing/jwks-server';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { startAuthTestApp } from './testing/auth-test-app';

const ISSUER = 'https://idp.example';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'idp-1', alg: 'EdDSA', use: 'sig' };

function externalToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'idp-1' })
    .setSubject('partner-ops')
    .setIssuer(ISSUER)
    .setAudience('kouza-link-api')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

describe('the service trusting an external issuer (JWT_JWKS_URL)', () => {
  let sql: PgliteSqlClient;
  let jwks: JwksServer;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    jwks = await startJwksServer({ keys: [publicJwk] });
    const auth = loadAuthConfig({ JWT_JWKS_URL: jwks.url, JWT_ISSUER: ISSUER });
    app = await startAuthTestApp(sql, { auth, sandbox: true, env: {} });
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
    await sql?.close();
  });

  const get = async (url: string, token: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('admits the external issuer tokens with their role and scopes', async () => {
    const response = await get('/test/me', await externalToken({ role: 'operator', scope: 'admin' }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ clientId: 'partner-ops', role: 'operator', scopes: ['admin'] });
    expect(
      (await get('/test/admin', await externalToken({ role: 'payment_app', scope: 'links:read' }))).statusCode,
    ).toBe(403);
  });

  it('issues no tokens of its own, serves no JWKS nor RFC 8414 metadata and seeds no sandbox clients', async () => {
    const token = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'client_credentials' },
    });
    expect(token.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(404);
    // Clients discover the external issuer itself; this service is only a resource server then.
    expect((await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).statusCode).toBe(404);
    expect(await sql.query('SELECT 1 FROM api_clients')).toEqual([]);
  });

  it('answers 503 token_issuer_unavailable while the issuer keys cannot be fetched', async () => {
    jwks.serve(503);
    const outage = await startAuthTestApp(sql, {
      auth: loadAuthConfig({ JWT_JWKS_URL: jwks.url, JWT_ISSUER: ISSUER }),
      sandbox: false,
    });
    try {
      const response = await outage.inject({
        method: 'GET',
        url: '/test/me',
        headers: { authorization: `Bearer ${await externalToken({ role: 'operator', scope: 'admin' })}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 503, code: 'token_issuer_unavailable' });
    } finally {
      await outage.close();
      jwks.serve({ keys: [publicJwk] });
    }
  });
});
