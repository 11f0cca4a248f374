import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/domain-error';
import { LinkCommandRunner } from '../../link-command-runner';
import { type LinkView, toLinkView } from '../../link-view';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { RevokeLinkCommand } from './revoke-link.command';

@CommandHandler(RevokeLinkCommand)
export class RevokeLinkHandler implements ICommandHandler<RevokeLinkCommand> {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: LinkCommandRunner,
  ) {}

  async execute({ linkId, by, reason, paymentAppId, metadata }: RevokeLinkCommand): Promise<LinkView> {
    const now = this.clock.now().toISOString();
    const { state } = await this.links.run(
      linkId,
      (current) => {
        // Checked inside the decision so that no other app's link is ever touched, or even confirmed to exist.
        if (current.status === 'none' || (paymentAppId && current.link.paymentAppId !== paymentAppId)) {
          throw new DomainError('link_not_found', `No link ${linkId}`);
        }
        return { type: 'Revoke', data: { now, by, reason } };
      },
      metadata,
    );
    return toLinkView(state);
  }
}
