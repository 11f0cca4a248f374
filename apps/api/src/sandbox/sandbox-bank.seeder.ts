import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProvisionBankWebhookKeyCommand } from '@lib/account-linking/application/commands/provision-bank-webhook-key/provision-bank-webhook-key.command';
import { RegisterBankCommand } from '@lib/account-linking/application/commands/register-bank/register-bank.command';
import { CLOCK, type Clock } from '@lib/account-linking/application/ports/clock.port';
import type { EventMetadata } from '@lib/event-store/event-store.port';
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

/**
 * Seeds bank 9900 "Sandbox Bank" at every start, through the same handlers as an operator's changes, with its
 * webhook secret from the environment or a fresh one. A start that changes nothing records nothing.
 */
@Injectable()
export class SandboxBankSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sandbox');

  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
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
    const id = randomUUID();
    const metadata: EventMetadata = {
      actor: { type: 'system', id: 'sandbox-seeder' },
      correlationId: id,
      causationId: id,
      occurredAt: this.clock.now().toISOString(),
    };
    await this.commands.execute(
      new RegisterBankCommand(SANDBOX_BANK_CODE, 'Sandbox Bank', SANDBOX_BANK_POLICY, metadata),
    );
    await this.commands.execute(
      new ProvisionBankWebhookKeyCommand(
        SANDBOX_BANK_CODE,
        { keyId: SANDBOX_BANK_KEY_ID, kind: 'hmac', material: secret },
        given === undefined,
        metadata,
      ),
    );
    if (!given) this.logger.log(`Sandbox bank 9900 webhook secret (generated, shown once): ${secret}`);
  }
}
