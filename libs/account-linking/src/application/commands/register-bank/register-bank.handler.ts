import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { bankDecider, requireRegisteredBank } from '../../../domain/bank/bank.decider';
import { toBankRegistrationView } from '../../bank-registration-view';
import { bankRegistryStream } from '../../bank-streams';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { RegisterBankCommand, type RegisterBankResult } from './register-bank.command';

/** The policy applies to link requests made from the append on; the kill switch and the keys are kept. */
@CommandHandler(RegisterBankCommand)
export class RegisterBankHandler implements ICommandHandler<RegisterBankCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ bankCode, name, policy, metadata }: RegisterBankCommand): Promise<RegisterBankResult> {
    const now = this.clock.now().toISOString();
    const { state, newEvents } = await handleCommand(
      this.store,
      bankRegistryStream(bankCode),
      bankDecider,
      { type: 'RegisterBank', data: { bankCode, name, policy, now } },
      metadata,
    );
    return {
      bank: toBankRegistrationView(requireRegisteredBank(state, bankCode)),
      created: newEvents.some((event) => event.type === 'BankRegistered'),
    };
  }
}
