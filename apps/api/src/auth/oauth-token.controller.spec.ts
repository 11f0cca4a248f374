import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { loadAuthConfig } from '@lib/platform/auth/auth-config';
import { CLIENT_REGISTRY, type ClientRegistry } from '@lib/platform/auth/client-registry';
import { PROBLEM_CONTENT_TYPE } from '@lib/platform/problem/problem';
import { PgliteSqlClient } from '@lib/platform/sql/pglite-sql-client';
import { RecordingLogger, startAuthTestApp } from './testing/auth-test-app';

const APP_SECRET = 'sandbox-app-secret-from-env';
const INVESTIGATOR_SECRET = 'sandbox-investigator-secret-env';
const ODD_SECRET = 'colon:plus+space and ümlaut';

describe('POST /oauth/token', () => {
  let sql: PgliteSqlClient;
  let app: NestFastifyApplication;
  const logger = new RecordingLogger();
  const bodies: string[] = [];

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    app = await startAuthTestApp(
      sql,
      {
        auth: loadAuthConfig({ ACCESS_TOKEN_TTL_SECONDS: '600' }),
        sandbox: true,
        env: { SANDBOX_APP_SECRET: APP_SECRET, SANDBOX_INVESTIGATOR_SECRET: INVESTIGATOR_SECRET },
      },
      logger,
    );
    const registry = app.get<ClientRegistry>(CLIENT_REGISTRY);
    await registry.register({ clientId: 'odd-app', secret: ODD_SECRET, role: 'payment_app', displayName: 'Odd' });
    await registry.register({
      clientId: 'gone-app',
      secret: 'gone-app-secret-0001',
      role: 'payment_app',
      displayName: 'G',
    });
    await registry.disable('gone-app');
  });

  afterAll(async () => {
    await app?.close();
    await sql?.close();
  });

  async function post(
    payload: string,
    contentType = 'application/x-www-form-urlencoded',
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': contentType, ...headers },
      payload,
    });
    bodies.push(response.body);
    return response;
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  it('issues a bearer token for good credentials in a form, uncacheable', async () => {
    const response = await post(
      form({ grant_type: 'client_credentials', client_id: 'sandbox-app', client_secret: APP_SECRET }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'links:write links:read',
    });
    expect(decodeJwt(body.access_token)).toMatchObject({
      sub: 'sandbox-app',
      role: 'payment_app',
      scope: 'links:write links:read',
      iss: 'kouza-link',
      aud: 'kouza-link-api',
    });
  });

  it('issues a token for the same credentials in JSON', async () => {
    const response = await post(
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'sandbox-investigator',
        client_secret: INVESTIGATOR_SECRET,
      }),
      'application/json',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', scope: 'investigations:read' });
  });

  it('issues a token to a client authenticating with HTTP Basic, form-decoding both halves', async () => {
    const response = await post(form({ grant_type: 'client_credentials' }), undefined, {
      authorization: basic('odd-app', ODD_SECRET),
    });
    expect(response.statusCode).toBe(200);
    expect(decodeJwt(response.json().access_token).sub).toBe('odd-app');
  });

  it('narrows the token to the scopes asked for', async () => {
    const response = await post(
      form({
        grant_type: 'client_credentials',
        client_id: 'sandbox-app',
        client_secret: APP_SECRET,
        scope: 'links:read',
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().scope).toBe('links:read');
    expect(decodeJwt(response.json().access_token).scope).toBe('links:read');
  });

  it('answers a wrong secret and an unknown client with the same 401 invalid_client problem', async () => {
    const wrong = await post(
      form({ grant_type: 'client_credentials', client_id: 'sandbox-app', client_secret: 'nope-nope-nope-nope' }),
    );
    const unknown = await post(
      form({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: APP_SECRET }),
    );
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toMatchObject({ status: 401, code: 'invalid_client' });
    }
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('refuses a disabled client', async () => {
    const response = await post(
      form({ grant_type: 'client_credentials', client_id: 'gone-app', client_secret: 'gone-app-secret-0001' }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_client');
  });

  it('challenges a failed HTTP Basic authentication with a Basic WWW-Authenticate', async () => {
    const response = await post(form({ grant_type: 'client_credentials' }), undefined, {
      authorization: basic('odd-app', 'not the secret at all'),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="kouza-link"/);
    const malformed = await post(form({ grant_type: 'client_credentials' }), undefined, { authorization: 'Basic %%%' });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().code).toBe('invalid_client');
  });

  it('answers a request without client credentials with invalid_client', async () => {
    const response = await post(form({ grant_type: 'client_credentials', client_id: 'sandbox-app' }));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_client');
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('answers another grant type with 400 unsupported_grant_type, before looking at credentials', async () => {
    const response = await post(form({ grant_type: 'password', client_id: 'sandbox-app', client_secret: 'x' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'unsupported_grant_type' });
  });

  it('answers a scope the client does not have with 400 invalid_scope', async () => {
    const response = await post(
      form({
        grant_type: 'client_credentials',
        client_id: 'sandbox-app',
        client_secret: APP_SECRET,
        scope: 'links:read admin',
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid_scope' });
  });

  it.each([
    ['no grant_type', form({ client_id: 'sandbox-app', client_secret: APP_SECRET })],
    [
      'a repeated parameter',
      `${form({ grant_type: 'client_credentials', client_id: 'sandbox-app', client_secret: APP_SECRET })}&client_id=other`,
    ],
  ])('answers %s with 400 invalid_request', async (_case, payload) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_request');
  });

  it('answers a non-string JSON parameter, and two authentication methods at once, with invalid_request', async () => {
    const numeric = await post(
      JSON.stringify({ grant_type: 'client_credentials', client_id: 'sandbox-app', client_secret: 12345 }),
      'application/json',
    );
    expect(numeric.json().code).toBe('invalid_request');
    const both = await post(form({ grant_type: 'client_credentials', client_secret: ODD_SECRET }), undefined, {
      authorization: basic('odd-app', ODD_SECRET),
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().code).toBe('invalid_request');
  });

  it('serves the public key on /.well-known/jwks.json, and the issued tokens verify against it', async () => {
    const jwksResponse = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwksResponse.statusCode).toBe(200);
    const jwks = jwksResponse.json();
    expect(jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' },
    ]);
    const token = await post(
      form({ grant_type: 'client_credentials', client_id: 'sandbox-app', client_secret: APP_SECRET }),
    );
    const { payload, protectedHeader } = await jwtVerify(token.json().access_token, createLocalJWKSet(jwks), {
      issuer: 'kouza-link',
      audience: 'kouza-link-api',
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload.sub).toBe('sandbox-app');
  });

  it('logs the generated sandbox secret once and no other secret, and answers with none', () => {
    const generated = logger.lines.flatMap(
      (line) => /SANDBOX_OPERATOR_SECRET is unset, generated secret: (\S+)/.exec(line)?.[1] ?? [],
    );
    expect(generated).toHaveLength(1);
    const all = logger.lines.join('\n');
    expect(all.split(generated[0] ?? '?').length - 1).toBe(1);
    for (const secret of [APP_SECRET, INVESTIGATOR_SECRET, ODD_SECRET, 'gone-app-secret-0001']) {
      expect(all).not.toContain(secret);
      expect(bodies.join('\n')).not.toContain(secret);
    }
    expect(bodies.join('\n')).not.toContain(generated[0]);
  });
});
