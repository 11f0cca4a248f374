import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider } from '../../../domain/bank/bank.decider';
import type { BankSuspensionView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { SuspendBankCommand } from './suspend-bank.command';

/**
 * One append to the bank's stream, which the next link request reads: the switch is on once this returns.
 * Pulling it again records again (who and why) and changes nothing else.
 */
@CommandHandler(SuspendBankCommand)
export class SuspendBankHandler implements ICommandHandler<SuspendBankCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, reason, metadata }: SuspendBankCommand): Promise<BankSuspensionView> {
    const at = this.clock.now().toISOString();
    await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      { type: 'SuspendBank', data: { bankCode, reason, now: at } },
      metadata,
    );
    return { bankCode, suspended: true, reason, at };
  }
}
