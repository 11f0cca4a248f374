import type { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import type { WebhookSecretSealer } from '../../application/webhooks-out/webhook-secret-sealer.port';

/** AES-256-GCM under a data key of the endpoint's own (the personal-data cipher), as banks' webhook keys are sealed. */
export class CipherWebhookSecretSealer implements WebhookSecretSealer {
  constructor(private readonly cipher: PersonalDataCipher) {}

  seal(endpointId: string, secret: string): Promise<string> {
    return this.cipher.encrypt(`webhook-endpoint-${endpointId}`, secret);
  }

  async open(sealedSecret: string): Promise<string | undefined> {
    try {
      const secret = await this.cipher.decrypt(sealedSecret);
      return typeof secret === 'string' ? secret : undefined;
    } catch {
      return undefined;
    }
  }
}
