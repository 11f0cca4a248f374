import type { KeyedHash } from '@lib/platform/crypto/keyed-hash';
import type { PersonalDataCipher } from '@lib/platform/crypto/personal-data-cipher';
import type { SealedWebhookKeyMaterial, WebhookKeySealer } from '../../application/ports/webhook-key-sealer.port';

/** The data subject whose key seals a bank's webhook key material: the same one the old tables used. */
const subjectOf = (bankCode: string) => `bank-keys-${bankCode}`;

/** AES-256-GCM under the bank's own data key (the personal-data cipher), and a keyed hash to compare material. */
export class CipherWebhookKeySealer implements WebhookKeySealer {
  constructor(
    private readonly cipher: PersonalDataCipher,
    private readonly hash: KeyedHash,
  ) {}

  async seal(bankCode: string, material: string): Promise<SealedWebhookKeyMaterial> {
    return {
      sealedMaterial: await this.cipher.encrypt(subjectOf(bankCode), material),
      materialFingerprint: this.fingerprint(bankCode, material),
    };
  }

  async open(sealedMaterial: string): Promise<string | undefined> {
    const material = await this.cipher.decrypt(sealedMaterial);
    return typeof material === 'string' ? material : undefined;
  }

  async fingerprintOfSealed(bankCode: string, sealedMaterial: string): Promise<string | null> {
    try {
      const material = await this.open(sealedMaterial);
      return material === undefined ? null : this.fingerprint(bankCode, material);
    } catch {
      // Altered or of an unknown key: imported as it is, it verifies nothing and compares equal to nothing.
      return null;
    }
  }

  private fingerprint(bankCode: string, material: string): string {
    return `wkf_${this.hash.digest('bank_webhook_key', `${bankCode}\u0000${material}`)}`;
  }
}
