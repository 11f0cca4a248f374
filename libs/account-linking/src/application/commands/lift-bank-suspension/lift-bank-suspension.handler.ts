import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { LinkingRefused } from '../../linking-refused.error';
import { BANK_DIRECTORY, type BankDirectory } from '../../ports/bank-directory.port';
import { BANK_KILL_SWITCH, type BankKillSwitch } from '../../ports/bank-kill-switch.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { type BankSuspensionView, bankKillSwitchStream } from '../suspend-bank/bank-kill-switch-stream';
import { LiftBankSuspensionCommand } from './lift-bank-suspension.command';

@CommandHandler(LiftBankSuspensionCommand)
export class LiftBankSuspensionHandler implements ICommandHandler<LiftBankSuspensionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    @Inject(BANK_KILL_SWITCH) private readonly killSwitch: BankKillSwitch,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, reason, metadata }: LiftBankSuspensionCommand): Promise<BankSuspensionView> {
    const bank = await this.banks.find(bankCode);
    if (!bank) throw new LinkingRefused('unknown_bank', `No bank with code ${bankCode} takes part`);
    const at = this.clock.now().toISOString();
    // Lifting a switch that is off is no fact worth recording.
    if (bank.suspended) {
      await this.store.appendToStream(
        bankKillSwitchStream(bankCode),
        [
          {
            id: randomUUID(),
            type: 'BankSuspensionLifted',
            data: { bankCode, ...(reason ? { reason } : {}), at },
            metadata,
          },
        ],
        'any',
      );
      await this.killSwitch.setSuspended(bankCode, undefined);
    }
    return { bankCode, suspended: false, ...(reason ? { reason } : {}), at };
  }
}
