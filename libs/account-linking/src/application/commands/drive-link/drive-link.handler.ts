import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LinkCommandRunner } from '../../link-command-runner';
import { type LinkView, toLinkView } from '../../link-view';
import { DriveLinkCommand } from './drive-link.command';

@CommandHandler(DriveLinkCommand)
export class DriveLinkHandler implements ICommandHandler<DriveLinkCommand> {
  constructor(private readonly links: LinkCommandRunner) {}

  async execute({ linkId, command, metadata, known }: DriveLinkCommand): Promise<LinkView> {
    const { state } = await this.links.run(linkId, command, metadata, known ? { known } : {});
    return toLinkView(state);
  }
}
