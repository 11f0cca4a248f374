import { type DynamicModule, Global, Module } from '@nestjs/common';
import { EVIDENCE_SIGNER } from '@lib/account-linking/application/ports/evidence-signer.port';
import type { AuthConfig } from '@lib/platform/auth/auth-config';
import { JwsEvidenceSigner } from '@lib/platform/auth/jws-evidence-signer';
import { loadSigningKey } from '@lib/platform/auth/signing-key';

/**
 * The worker alone signs log digests with the api's key, which it can only share when it is configured
 * (`JWT_PRIVATE_KEY`): a key generated here would sign digests no `/.well-known/jwks.json` publishes. Without
 * one (or with an external issuer) it provides no signer, and the log digest process manager says so and stays off.
 */
@Global()
@Module({})
export class WorkerEvidenceSignerModule {
  static forRoot(auth: AuthConfig): DynamicModule {
    const pem = auth.tokenSource === 'self' ? auth.JWT_PRIVATE_KEY : undefined;
    const providers =
      pem === undefined
        ? []
        : [{ provide: EVIDENCE_SIGNER, useFactory: async () => new JwsEvidenceSigner(await loadSigningKey(pem)) }];
    return {
      module: WorkerEvidenceSignerModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
