import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SqlBankRegistry } from '@lib/account-linking/infrastructure/banks/sql-bank-registry';
import { InvalidConfigError } from '@lib/platform/config/app-config';
import { hmacKeyFromSecret } from '@lib/platform/webhooks/webhook-key-material';
import { generateWebhookSecret } from '@lib/platform/webhooks/webhook-key-generation';
import {
  SANDBOX_BANK_CODE,
  SANDBOX_BANK_KEY_ID,
  SANDBOX_BANK_POLICY,
} from '@lib/account-linking/infrastructure/sandbox/sandbox-bank';

/** Where the seeder reads SANDBOX_BANK_WEBHOOK_SECRET; `process.env` in production. */
export const SANDBOX_BANK_ENV = Symbol('SANDBOX_BANK_ENV');

/** Seeds bank 9900 "Sandbox Bank" at every start, with its webhook secret from the environment or a fresh one. */
@Injectable()
export class SandboxBankSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sandbox');

  constructor(
    @Inject(SqlBankRegistry) private readonly banks: SqlBankRegistry,
    @Inject(SANDBOX_BANK_ENV) private readonly env: Record<string, string | undefined>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const given = this.env.SANDBOX_BANK_WEBHOOK_SECRET;
    if (given) {
      try {
        hmacKeyFromSecret(given);
      } catch {
        throw new InvalidConfigError([
          { variable: 'SANDBOX_BANK_WEBHOOK_SECRET', message: 'must be whsec_ followed by base64' },
        ]);
      }
    }
    const secret = given ?? generateWebhookSecret();
    await this.banks.upsertBank({ code: SANDBOX_BANK_CODE, name: 'Sandbox Bank', policy: SANDBOX_BANK_POLICY });
    await this.banks.putWebhookKey(SANDBOX_BANK_CODE, { keyId: SANDBOX_BANK_KEY_ID, kind: 'hmac', material: secret });
    if (!given) this.logger.log(`Sandbox bank 9900 webhook secret (generated, shown once): ${secret}`);
  }
}
