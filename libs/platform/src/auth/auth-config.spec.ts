import { generateKeyPairSync } from 'node:crypto';
import { InvalidConfigError } from '../config/app-config';
import { loadAuthConfig } from './auth-config';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadAuthConfig(env);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadAuthConfig', () => {
  it('signs its own 15-minute tokens as kouza-link for kouza-link-api by default', () => {
    const config = loadAuthConfig({});
    expect(config).toMatchObject({
      JWT_ISSUER: 'kouza-link',
      JWT_AUDIENCE: 'kouza-link-api',
      ACCESS_TOKEN_TTL_SECONDS: 900,
    });
    expect(config.JWT_PRIVATE_KEY).toBeUndefined();
    expect(config.tokenSource).toBe('self');
  });

  it('reads a PEM key whose line breaks were written as \\n in a one-line variable', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const config = loadAuthConfig({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(config.JWT_PRIVATE_KEY).toBe(pem);
  });

  it('trusts an external issuer given its JWKS URL and issuer', () => {
    const config = loadAuthConfig({ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example' });
    expect(config.tokenSource).toBe('external');
  });

  it('refuses an external JWKS without its issuer, or together with a private key', () => {
    expect(problemsOf({ JWT_JWKS_URL: 'https://idp.example/jwks' })).toEqual([
      expect.objectContaining({ variable: 'JWT_ISSUER' }),
    ]);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(
      problemsOf({ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example', JWT_PRIVATE_KEY: pem }),
    ).toEqual([expect.objectContaining({ variable: 'JWT_PRIVATE_KEY' })]);
  });

  it('refuses a token lifetime outside a minute to an hour, a non-URL JWKS and a non-PEM key', () => {
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '30' })[0]?.variable).toBe('ACCESS_TOKEN_TTL_SECONDS');
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '86400' })[0]?.variable).toBe('ACCESS_TOKEN_TTL_SECONDS');
    expect(problemsOf({ JWT_JWKS_URL: 'idp.example/jwks', JWT_ISSUER: 'x' })[0]?.variable).toBe('JWT_JWKS_URL');
    const problems = problemsOf({ JWT_PRIVATE_KEY: 'my-secret-key-material' });
    expect(problems[0]?.variable).toBe('JWT_PRIVATE_KEY');
    expect(JSON.stringify(problems)).not.toContain('my-secret-key-material');
  });

  it('accepts a configured lifetime', () => {
    expect(loadAuthConfig({ ACCESS_TOKEN_TTL_SECONDS: '300' }).ACCESS_TOKEN_TTL_SECONDS).toBe(300);
  });
});
