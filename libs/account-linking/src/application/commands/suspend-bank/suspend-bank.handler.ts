import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { LinkingRefused } from '../../linking-refused.error';
import { BANK_DIRECTORY, type BankDirectory } from '../../ports/bank-directory.port';
import { BANK_KILL_SWITCH, type BankKillSwitch } from '../../ports/bank-kill-switch.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { type BankSuspensionView, bankKillSwitchStream } from './bank-kill-switch-stream';
import { SuspendBankCommand } from './suspend-bank.command';

/** Records who pulled the switch and why, then pulls it; pulling it again records again and changes nothing else. */
@CommandHandler(SuspendBankCommand)
export class SuspendBankHandler implements ICommandHandler<SuspendBankCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    @Inject(BANK_KILL_SWITCH) private readonly killSwitch: BankKillSwitch,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, reason, metadata }: SuspendBankCommand): Promise<BankSuspensionView> {
    if (!(await this.banks.find(bankCode))) {
      throw new LinkingRefused('unknown_bank', `No bank with code ${bankCode} takes part`);
    }
    const at = this.clock.now().toISOString();
    await this.store.appendToStream(
      bankKillSwitchStream(bankCode),
      [{ id: randomUUID(), type: 'BankSuspended', data: { bankCode, reason, at }, metadata }],
      'any',
    );
    await this.killSwitch.setSuspended(bankCode, reason);
    return { bankCode, suspended: true, reason, at };
  }
}
