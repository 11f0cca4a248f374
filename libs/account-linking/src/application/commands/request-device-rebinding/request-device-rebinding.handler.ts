import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { aggregateStream } from '@lib/event-store/command-handling/handle-command';
import { EVENT_STORE, type EventStore } from '@lib/event-store/event-store.port';
import { DomainError } from '../../../domain/domain-error';
import { linkDecider } from '../../../domain/link/link.decider';
import { LinkCommandRunner } from '../../link-command-runner';
import { linkStream } from '../../link-streams';
import { type LinkView, toLinkView } from '../../link-view';
import { BANK_DIRECTORY, type BankDirectory } from '../../ports/bank-directory.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { RequestDeviceRebindingCommand } from './request-device-rebinding.command';

/**
 * R9: records the app's request to bind a link to another device. The link stays bound to its device (debits
 * from the new one are refused) until the bank re-authenticates the customer (`device.reauthenticated`).
 */
@CommandHandler(RequestDeviceRebindingCommand)
export class RequestDeviceRebindingHandler implements ICommandHandler<RequestDeviceRebindingCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BANK_DIRECTORY) private readonly banks: BankDirectory,
    private readonly links: LinkCommandRunner,
  ) {}

  async execute({ linkId, deviceId, paymentAppId, metadata }: RequestDeviceRebindingCommand): Promise<LinkView> {
    const now = this.clock.now().toISOString();
    // A link's bank never changes: its kill switch is read once, before the decision.
    const { state: before } = await aggregateStream(this.store, linkStream(linkId), linkDecider);
    const bankSuspended =
      before.status !== 'none' && ((await this.banks.find(before.link.bankAccount.bankCode))?.suspended ?? false);
    const { state } = await this.links.run(
      linkId,
      (current) => {
        // Checked inside the decision so that no other app's link is ever touched, or even confirmed to exist.
        if (current.status === 'none' || current.link.paymentAppId !== paymentAppId) {
          throw new DomainError('link_not_found', `No link ${linkId}`);
        }
        return { type: 'RequestDeviceRebinding', data: { now, deviceId, bankSuspended } };
      },
      { ...metadata, deviceId },
    );
    return toLinkView(state);
  }
}
