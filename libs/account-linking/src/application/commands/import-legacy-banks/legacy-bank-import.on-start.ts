import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { ImportLegacyBanksCommand } from './import-legacy-banks.command';
import { ImportLegacyBanksHandler } from './import-legacy-banks.handler';

/**
 * Runs the import before anything reads a bank: on module init, ahead of every bootstrap hook (the sandbox
 * seeder's) and of the first request. The CommandBus learns its handlers only at bootstrap, hence the
 * direct call to the same handler.
 */
@Injectable()
export class LegacyBankImportOnStart implements OnModuleInit {
  private readonly logger = new Logger('LegacyBankImport');

  constructor(
    private readonly handler: ImportLegacyBanksHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const id = randomUUID();
    const { imported } = await this.handler.execute(
      new ImportLegacyBanksCommand({
        actor: { type: 'system', id: 'legacy-bank-import' },
        correlationId: id,
        causationId: id,
        occurredAt: this.clock.now().toISOString(),
      }),
    );
    if (imported.length > 0) this.logger.log(`Gave ${imported.length} bank(s) their stream: ${imported.join(', ')}`);
  }
}
