import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ACCESS_TOKEN_ISSUER, type AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import type { AuthPrincipal } from '@lib/platform/auth/auth-principal';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { startAuthTestApp } from './testing/auth-test-app';

const operator: AuthPrincipal = { clientId: 'passport-operator', role: 'operator', scopes: ['admin'] };

describe('JwtAuthGuard authenticating through passport on the Fastify adapter', () => {
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    app = await startAuthTestApp(sql, { auth: loadAuthConfig({}), sandbox: false });
    token = (await app.get<AccessTokenIssuer>(ACCESS_TOKEN_ISSUER).issue(operator)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  it('leaves passport’s request.user, the same principal @Principal() reads, on an authenticated request', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/test/passport',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: operator, isAuthenticated: true, userIsThePrincipal: true });
  });

  it('admits a token with extra spaces around it, which passport-http-bearer alone would refuse', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/test/passport',
      headers: { authorization: `Bearer   ${token} ` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toEqual(operator);
  });

  it('takes no token from the query string', async () => {
    const response = await app.inject({ method: 'GET', url: `/test/passport?access_token=${token}` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="kouza-link"');
    expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
