import { type DynamicModule, Global, Logger, Module, type Provider } from '@nestjs/common';
import { AccessTokenStrategy } from '@lib/platform/auth/access-token.strategy';
import { ACCESS_TOKEN_ISSUER, AccessTokenIssuer } from '@lib/platform/auth/access-token-issuer';
import {
  ACCESS_TOKEN_VERIFIER,
  externalAccessTokenVerifier,
  ownAccessTokenVerifier,
} from '@lib/platform/auth/access-token-verifier';
import type { AuthConfig } from '@lib/platform/auth/auth-config';
import { ClientRegistryModule } from '@lib/platform/auth/client-registry.module';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { loadSigningKey, type SigningKey } from '@lib/platform/auth/signing-key';
import { JwsEvidenceSigner } from '@lib/platform/auth/jws-evidence-signer';
import { EVIDENCE_SIGNER } from '@lib/account-linking/application/ports/evidence-signer.port';
import { AUTHORIZATION_SERVER_DISCOVERY, authorizationServerDiscoveryOf } from './authorization-server-metadata';
import { AuthorizationServerMetadataController } from './authorization-server-metadata.controller';
import { JwksController } from './jwks.controller';
import { OAuthTokenController } from './oauth-token.controller';
import { SANDBOX_ENV, SandboxClientsSeeder } from './sandbox-clients.seeder';

export interface AuthModuleOptions {
  readonly auth: AuthConfig;
  /** Seeds the sandbox clients at start (`AppConfig.sandboxEnabled`); ignored with an external issuer. */
  readonly sandbox: boolean;
  /** Where the sandbox secrets are read; `process.env` unless given. */
  readonly env?: Record<string, string | undefined>;
}

const SIGNING_KEY = Symbol('SIGNING_KEY');

/**
 * Access tokens: the client registry (ClientRegistryModule), `POST /oauth/token`, `/.well-known/jwks.json`
 * and the RFC 8414 metadata naming them when the service issues its own tokens (with an external issuer,
 * clients discover that issuer instead), and the verifier behind passport's `access-token` strategy, which
 * `JwtAuthGuard` authenticates with. Global, so any controller can use the guards.
 * Needs `SQL_CLIENT` from a global module (EventStoreModule).
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const { auth } = options;
    const trusted = { issuer: auth.JWT_ISSUER, audience: auth.JWT_AUDIENCE };
    const issuesOwnTokens = auth.tokenSource === 'self';
    const ownTokens: Provider[] = [
      { provide: SIGNING_KEY, useFactory: () => signingKeyOf(auth) },
      {
        provide: ACCESS_TOKEN_ISSUER,
        useFactory: (key: SigningKey) =>
          new AccessTokenIssuer(key, { ...trusted, ttlSeconds: auth.ACCESS_TOKEN_TTL_SECONDS }),
        inject: [SIGNING_KEY],
      },
      {
        provide: ACCESS_TOKEN_VERIFIER,
        useFactory: (key: SigningKey) => ownAccessTokenVerifier(key, trusted),
        inject: [SIGNING_KEY],
      },
      // Evidence bundles are signed with the same key, so /.well-known/jwks.json verifies them too.
      { provide: EVIDENCE_SIGNER, useFactory: (key: SigningKey) => new JwsEvidenceSigner(key), inject: [SIGNING_KEY] },
      { provide: AUTHORIZATION_SERVER_DISCOVERY, useValue: authorizationServerDiscoveryOf(auth.JWT_ISSUER) },
    ];
    const externalTokens: Provider[] = [
      {
        provide: ACCESS_TOKEN_VERIFIER,
        useFactory: () => externalAccessTokenVerifier(auth.JWT_JWKS_URL ?? '', trusted),
      },
    ];
    const sandbox: Provider[] =
      issuesOwnTokens && options.sandbox
        ? [{ provide: SANDBOX_ENV, useValue: options.env ?? process.env }, SandboxClientsSeeder]
        : [];
    return {
      module: AuthModule,
      imports: [ClientRegistryModule],
      providers: [
        ...(issuesOwnTokens ? ownTokens : externalTokens),
        ...sandbox,
        AccessTokenStrategy,
        JwtAuthGuard,
        RolesGuard,
      ],
      controllers: issuesOwnTokens ? [OAuthTokenController, JwksController, AuthorizationServerMetadataController] : [],
      exports: [
        ClientRegistryModule,
        ACCESS_TOKEN_VERIFIER,
        AccessTokenStrategy,
        JwtAuthGuard,
        RolesGuard,
        ...(issuesOwnTokens ? [ACCESS_TOKEN_ISSUER, EVIDENCE_SIGNER] : []),
      ],
    };
  }
}

async function signingKeyOf(auth: AuthConfig): Promise<SigningKey> {
  const key = await loadSigningKey(auth.JWT_PRIVATE_KEY);
  if (key.generated) {
    new Logger('Auth').warn(
      'JWT_PRIVATE_KEY is unset: access tokens are signed with a key generated at start, so they stop verifying ' +
        'after a restart and other replicas reject them',
    );
  }
  return key;
}
