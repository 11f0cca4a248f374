import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import { PROBLEM_CONTENT_TYPE } from '@lib/platform/problem/problem';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { startAuthTestApp } from './testing/auth-test-app';

const APP_SECRET = 'sandbox-app-secret-from-env';
const ODD_SECRET = 'colon:plus+space and ümlaut';
const METADATA_PATH = '/.well-known/oauth-authorization-server';
// openid-client refuses http: unless told; the service is on loopback here.
const OVER_HTTP: oauth.DiscoveryRequestOptions = { execute: [oauth.allowInsecureRequests], algorithm: 'oauth2' };

/** A port nobody listens on now: the issuer URL must name it before the app starts. */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RFC 8414 discovery at /.well-known/oauth-authorization-server', () => {
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;
  let issuer: string;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    const port = await freeLoopbackPort();
    issuer = `http://127.0.0.1:${port}`;
    app = await startAuthTestApp(sql, {
      auth: loadAuthConfig({ JWT_ISSUER: issuer }),
      sandbox: true,
      env: { SANDBOX_APP_SECRET: APP_SECRET },
    });
    await app
      .get<ClientRegistry>(CLIENT_REGISTRY)
      .register({ clientId: 'odd-app', secret: ODD_SECRET, role: 'payment_app', displayName: 'Odd' });
    await app.listen(port, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  const bearerGet = (path: string, token: string) =>
    fetch(`${issuer}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('advertises the issuer of the tokens, the token endpoint and JWKS below it, and what the endpoint accepts', async () => {
    const response = await fetch(`${issuer}${METADATA_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['links:write', 'links:read', 'investigations:read', 'admin', 'bank:read'],
      response_types_supported: [],
    });
  });

  it('lets openid-client discover the service from its issuer URL and get a token with client_secret_post', async () => {
    const config = await oauth.discovery(new URL(issuer), 'sandbox-app', APP_SECRET, undefined, OVER_HTTP);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.token_endpoint).toBe(`${issuer}/oauth/token`);

    const tokens = await oauth.clientCredentialsGrant(config, { scope: 'links:write links:read' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('links:write links:read');
    expect(tokens.expiresIn()).toBeGreaterThan(0);

    expect((await bearerGet('/test/links', tokens.access_token)).status).toBe(200);
    const me = await bearerGet('/test/me', tokens.access_token);
    expect(await me.json()).toEqual({
      clientId: 'sandbox-app',
      role: 'payment_app',
      scopes: ['links:write', 'links:read'],
    });

    // A resource server that trusts only what discovery said: the issuer, and the keys at jwks_uri.
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(metadata.jwks_uri ?? '')), {
      issuer: metadata.issuer,
      audience: 'kouza-link-api',
    });
    expect(payload.sub).toBe('sandbox-app');
  });

  it('gets a token with client_secret_basic too, form-encoding an odd secret as the endpoint expects', async () => {
    const config = await oauth.discovery(
      new URL(issuer),
      'odd-app',
      undefined,
      oauth.ClientSecretBasic(ODD_SECRET),
      OVER_HTTP,
    );
    const tokens = await oauth.clientCredentialsGrant(config);
    expect(tokens.scope).toBe('links:write links:read');
    expect((await bearerGet('/test/links', tokens.access_token)).status).toBe(200);
  });

  it('is in the OpenAPI document, and the document’s OAuth scopes are the ones advertised', async () => {
    const document = buildOpenApiDocument(app);
    const operation = document.paths[METADATA_PATH]?.get;
    expect(operation?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthorizationServerMetadata' } } },
    });
    expect(Object.keys(document.paths).filter((path) => path.startsWith(`${METADATA_PATH}/`))).toEqual([]);
    const scheme = document.components?.securitySchemes?.oauth2;
    const { scopes_supported } = (await (await fetch(`${issuer}${METADATA_PATH}`)).json()) as Record<string, unknown>;
    expect(scheme && 'flows' in scheme ? Object.keys(scheme.flows?.clientCredentials?.scopes ?? {}) : []).toEqual(
      scopes_supported,
    );
  });
});

describe('RFC 8414 discovery of an issuer with a path (the service mounted below /kouza by a proxy)', () => {
  const issuer = 'https://api.example/kouza';
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    app = await startAuthTestApp(sql, {
      auth: loadAuthConfig({ JWT_ISSUER: issuer }),
      sandbox: true,
      env: { SANDBOX_APP_SECRET: APP_SECRET },
    });
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  /** The proxy: api.example/kouza/… is the service's /…; the RFC 8414 well-known URL goes to it as it is. */
  const throughProxy: oauth.CustomFetch = async (url, options) => {
    const { pathname, search } = new URL(url);
    const response = await app.inject({
      method: options.method as 'GET' | 'POST',
      url: `${pathname.replace(/^\/kouza(?=\/)/, '')}${search}`,
      headers: options.headers,
      ...(options.body instanceof URLSearchParams ? { payload: options.body.toString() } : {}),
    });
    return new Response(response.body, {
      status: response.statusCode,
      headers: Object.entries(response.headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, String(value)] as [string, string]],
      ),
    });
  };

  it('is served at the path RFC 8414 §3.1 inserts the issuer path into, and names endpoints below the issuer', async () => {
    const response = await app.inject({ method: 'GET', url: `${METADATA_PATH}/kouza` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    });
    expect((await app.inject({ method: 'GET', url: METADATA_PATH })).json().issuer).toBe(issuer);
    const elsewhere = await app.inject({ method: 'GET', url: `${METADATA_PATH}/other` });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('not_found');
  });

  it('lets openid-client discover it and get a token through the proxy', async () => {
    const config = await oauth.discovery(new URL(issuer), 'sandbox-app', APP_SECRET, undefined, {
      algorithm: 'oauth2',
      [oauth.customFetch]: throughProxy,
    });
    const tokens = await oauth.clientCredentialsGrant(config);
    expect(tokens.scope).toBe('links:write links:read');
  });
});

describe('RFC 8414 discovery with an issuer that is not a URL (the default JWT_ISSUER)', () => {
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    app = await startAuthTestApp(sql, { auth: loadAuthConfig({}), sandbox: false });
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  it('answers 404 with a problem that says JWT_ISSUER must be the service URL, and still issues tokens', async () => {
    const response = await app.inject({ method: 'GET', url: METADATA_PATH });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({
      status: 404,
      code: 'authorization_server_metadata_unavailable',
      detail: expect.stringContaining('JWT_ISSUER'),
    });
    expect((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(200);
  });
});
