import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/domain-error';
import { LinkCommandRunner } from '../../link-command-runner';
import { type LinkLimitsView, limitsViewOf } from '../../link-view';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { ChangeLinkLimitsCommand } from './change-link-limits.command';

/** The decider lowers at once and keeps a raise pending for the bank; the answer is the limits view after it. */
@CommandHandler(ChangeLinkLimitsCommand)
export class ChangeLinkLimitsHandler implements ICommandHandler<ChangeLinkLimitsCommand> {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: LinkCommandRunner,
  ) {}

  async execute({ linkId, paymentAppId, change, metadata }: ChangeLinkLimitsCommand): Promise<LinkLimitsView> {
    const now = this.clock.now().toISOString();
    const { state } = await this.links.run(
      linkId,
      (current) => {
        // Inside the decision, so that another app's link is never touched, or even confirmed to exist.
        if (current.status === 'none' || current.link.paymentAppId !== paymentAppId) {
          throw new DomainError('link_not_found', `No link ${linkId}`);
        }
        return { type: 'RequestLimitsChange', data: { now, change } };
      },
      metadata,
    );
    return limitsViewOf(state);
  }
}
