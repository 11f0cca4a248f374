import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '@lib/event-store/event-store.port';

export interface ImportedLegacyBanks {
  /** Codes of the banks that got their stream now; the others had one already. */
  imported: string[];
}

/** At start: every bank the old `banks` tables hold and that has no stream yet gets one, as the tables had it. */
export class ImportLegacyBanksCommand extends Command<ImportedLegacyBanks> {
  constructor(readonly metadata: EventMetadata) {
    super();
  }
}
