import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider } from '../../../domain/bank/bank.decider';
import type { BankSuspensionView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { LiftBankSuspensionCommand } from './lift-bank-suspension.command';

/** Lifting takes effect for the very next link request; lifting a switch that is off records nothing. */
@CommandHandler(LiftBankSuspensionCommand)
export class LiftBankSuspensionHandler implements ICommandHandler<LiftBankSuspensionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, reason, metadata }: LiftBankSuspensionCommand): Promise<BankSuspensionView> {
    const at = this.clock.now().toISOString();
    await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      { type: 'LiftBankSuspension', data: { bankCode, ...(reason ? { reason } : {}), now: at } },
      metadata,
    );
    return { bankCode, suspended: false, ...(reason ? { reason } : {}), at };
  }
}
