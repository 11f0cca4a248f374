import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt, UnsecuredJWT } from 'jose';
import { ACCESS_TOKEN_ISSUER, AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { loadSigningKey } from '@lib/platform/auth/signing-key';
import { PROBLEM_CONTENT_TYPE } from '@lib/platform/problem/problem';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { startAuthTestApp } from './testing/auth-test-app';

const SECRETS = {
  SANDBOX_APP_SECRET: 'guarded-app-secret-0001',
  SANDBOX_INVESTIGATOR_SECRET: 'guarded-investigator-secret-1',
  SANDBOX_OPERATOR_SECRET: 'guarded-operator-secret-0001',
};
const PEM = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('routes guarded by JwtAuthGuard and RolesGuard', () => {
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;
  const tokens: Record<'app' | 'investigator' | 'operator', string> = { app: '', investigator: '', operator: '' };

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    app = await startAuthTestApp(sql, { auth: loadAuthConfig({ JWT_PRIVATE_KEY: PEM }), sandbox: true, env: SECRETS });
    const tokenOf = async (clientId: string, secret: string) => {
      const response = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
      });
      return response.json().access_token as string;
    };
    tokens.app = await tokenOf('sandbox-app', SECRETS.SANDBOX_APP_SECRET);
    tokens.investigator = await tokenOf('sandbox-investigator', SECRETS.SANDBOX_INVESTIGATOR_SECRET);
    tokens.operator = await tokenOf('sandbox-operator', SECRETS.SANDBOX_OPERATOR_SECRET);
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'GET',
      url,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    });

  function expectUnauthorized(response: Awaited<ReturnType<typeof get>>, challenge: string): void {
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers['www-authenticate']).toBe(challenge);
    expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  }

  it('admits a token the service issued and hands the route its principal', async () => {
    const response = await get('/test/me', tokens.app);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      clientId: 'sandbox-app',
      role: 'payment_app',
      scopes: ['links:write', 'links:read'],
    });
  });

  it('signs with the key of JWT_PRIVATE_KEY, so tokens survive a restart', async () => {
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys[0].kid).toBe((await loadSigningKey(PEM)).publicJwk.kid);
  });

  it('takes the Bearer scheme in any case', async () => {
    const response = await get('/test/me', undefined, { authorization: `bearer ${tokens.operator}` });
    expect(response.statusCode).toBe(200);
  });

  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    expectUnauthorized(await get('/test/me'), 'Bearer realm="kouza-link"');
    expectUnauthorized(await get('/test/me', undefined, { authorization: 'Basic YTpi' }), 'Bearer realm="kouza-link"');
  });

  it('answers a garbage token with 401 invalid_token', async () => {
    expectUnauthorized(await get('/test/me', 'garbage'), 'Bearer realm="kouza-link", error="invalid_token"');
    expectUnauthorized(await get('/test/me', 'a.b.c'), 'Bearer realm="kouza-link", error="invalid_token"');
  });

  it('refuses an expired token', async () => {
    const issuer = app.get<AccessTokenIssuer>(ACCESS_TOKEN_ISSUER);
    const principal: AuthPrincipal = { clientId: 'sandbox-operator', role: 'operator', scopes: ['admin'] };
    const { accessToken } = await issuer.issue(principal, new Date(Date.now() - 3600_000));
    expectUnauthorized(await get('/test/me', accessToken), 'Bearer realm="kouza-link", error="invalid_token"');
  });

  it('refuses a token signed with the service key for another audience', async () => {
    const key = await loadSigningKey(PEM);
    const elsewhere = new AccessTokenIssuer(key, { issuer: 'kouza-link', audience: 'another-api', ttlSeconds: 900 });
    const { accessToken } = await elsewhere.issue({
      clientId: 'sandbox-operator',
      role: 'operator',
      scopes: ['admin'],
    });
    expectUnauthorized(await get('/test/admin', accessToken), 'Bearer realm="kouza-link", error="invalid_token"');
  });

  it('refuses an unsigned (alg none) copy of a valid token', async () => {
    const unsigned = new UnsecuredJWT(decodeJwt(tokens.operator)).encode();
    expectUnauthorized(await get('/test/admin', unsigned), 'Bearer realm="kouza-link", error="invalid_token"');
  });

  it('answers a payment app token on an operator route with 403 forbidden', async () => {
    const response = await get('/test/admin', tokens.app);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await get('/test/admin', tokens.operator)).statusCode).toBe(200);
  });

  it('answers a token without a required scope with 403, even for the right role', async () => {
    const readOnly = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: 'sandbox-app',
        client_secret: SECRETS.SANDBOX_APP_SECRET,
        scope: 'links:read',
      },
    });
    expect((await get('/test/links', readOnly.json().access_token)).statusCode).toBe(403);
    expect((await get('/test/links', tokens.app)).statusCode).toBe(200);
  });

  describe('an investigator route', () => {
    it('answers without X-Investigation-Case with 400 investigation_case_required', async () => {
      const response = await get('/test/investigations', tokens.investigator);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, code: 'investigation_case_required' });
    });

    it.each(['', 'has space', 'x'.repeat(65), 'case/1'])('refuses the malformed case id %j', async (caseId) => {
      const response = await get('/test/investigations', tokens.investigator, { 'x-investigation-case': caseId });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('investigation_case_required');
    });

    it('admits an investigator naming a case and hands the route the case id', async () => {
      const response = await get('/test/investigations', tokens.investigator, {
        'x-investigation-case': 'CASE-2026:01.a_b',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ caseId: 'CASE-2026:01.a_b' });
    });

    it('checks the token and the role before the case header', async () => {
      expect((await get('/test/investigations')).statusCode).toBe(401);
      expect((await get('/test/investigations', tokens.app)).statusCode).toBe(403);
    });
  });
});
