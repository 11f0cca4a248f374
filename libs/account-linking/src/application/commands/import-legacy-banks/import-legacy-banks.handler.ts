import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider } from '../../../domain/bank/bank.decider';
import type { BankSuspension } from '../../../domain/bank/bank.state';
import { bankRegistryStream, legacyBankKillSwitchStream } from '../../bank-streams';
import { CLOCK, type Clock } from '../../ports/clock.port';
import {
  LEGACY_BANK_RECORDS,
  type LegacyBankRecord,
  type LegacyBankRecords,
} from '../../ports/legacy-bank-records.port';
import { WEBHOOK_KEY_SEALER, type WebhookKeySealer } from '../../ports/webhook-key-sealer.port';
import { ImportLegacyBanksCommand, type ImportedLegacyBanks } from './import-legacy-banks.command';

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/**
 * Idempotent: a bank with a stream is skipped (the decider has the last word, so two processes starting at
 * once import a bank once). The tables are only read; nothing writes them any more.
 */
@CommandHandler(ImportLegacyBanksCommand)
export class ImportLegacyBanksHandler implements ICommandHandler<ImportLegacyBanksCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEGACY_BANK_RECORDS) private readonly legacy: LegacyBankRecords,
    @Inject(WEBHOOK_KEY_SEALER) private readonly sealer: WebhookKeySealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ metadata }: ImportLegacyBanksCommand): Promise<ImportedLegacyBanks> {
    const imported: string[] = [];
    for (const record of await this.legacy.banks()) {
      const stream = bankRegistryStream(record.bankCode);
      if ((await this.store.readStream(stream, { toRevision: 0 })).length > 0) continue;
      const { newEvents } = await handleCommand(
        this.store,
        stream,
        bankDecider,
        {
          type: 'ImportBank',
          data: {
            bankCode: record.bankCode,
            name: record.name,
            policy: record.policy,
            registeredAt: record.createdAt.toISOString(),
            suspension: await this.suspensionOf(record),
            webhookKeys: await Promise.all(
              record.webhookKeys.map(async (key) => ({
                keyId: key.keyId,
                kind: key.kind,
                sealedMaterial: key.materialSealed,
                materialFingerprint: await this.sealer.fingerprintOfSealed(record.bankCode, key.materialSealed),
                notBefore: iso(key.notBefore),
                notAfter: iso(key.notAfter),
                createdAt: key.createdAt.toISOString(),
              })),
            ),
            now: this.clock.now().toISOString(),
          },
        },
        metadata,
      );
      if (newEvents.length > 0) imported.push(record.bankCode);
    }
    return { imported };
  }

  /**
   * The old kill switch wrote its event first and flipped the table's column second: when a crash came
   * between, the event is the operator's last word, so it wins over the column.
   */
  private async suspensionOf(record: LegacyBankRecord): Promise<BankSuspension | null> {
    const last = (await this.store.readStream(legacyBankKillSwitchStream(record.bankCode)))
      .filter((event) => event.type === 'BankSuspended' || event.type === 'BankSuspensionLifted')
      .at(-1);
    if (last?.type === 'BankSuspended') {
      const data = last.data as { reason?: string; at?: string };
      return { reason: data.reason ?? null, since: data.at ?? last.recordedAt.toISOString() };
    }
    if (last?.type === 'BankSuspensionLifted') return null;
    return record.suspendedAt ? { reason: record.suspensionReason, since: record.suspendedAt.toISOString() } : null;
  }
}
