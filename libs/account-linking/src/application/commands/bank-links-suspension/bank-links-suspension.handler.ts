import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/domain-error';
import { LinkCommandRunner } from '../../link-command-runner';
import { LINK_READ_MODEL, type LinkReadModel } from '../../ports/link-read-model.port';
import { CLOCK, type Clock } from '../../ports/clock.port';
import { BankLinksSuspensionCommand, type BankLinksSuspensionResult } from './bank-links-suspension.command';

const PAGE = 100;

/**
 * Walks the bank's links in the read model and sends each its own domain command; each link's decider has
 * the last word, so a link that left `active` meanwhile refuses and is reported, not forced.
 */
@CommandHandler(BankLinksSuspensionCommand)
export class BankLinksSuspensionHandler implements ICommandHandler<BankLinksSuspensionCommand> {
  constructor(
    @Inject(LINK_READ_MODEL) private readonly links: LinkReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly runner: LinkCommandRunner,
  ) {}

  async execute({
    bankCode,
    action,
    reason,
    metadata,
  }: BankLinksSuspensionCommand): Promise<BankLinksSuspensionResult> {
    const status = action === 'suspend' ? 'active' : 'suspended';
    const targets: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.links.select({ bankCode, status }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      targets.push(...page.items.map((link) => link.link.linkId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    const result: BankLinksSuspensionResult = { bankCode, changed: 0, refused: [] };
    for (const linkId of targets) {
      const now = this.clock.now().toISOString();
      try {
        const { newEvents } = await this.runner.run(
          linkId,
          { type: action === 'suspend' ? 'Suspend' : 'Reinstate', data: { now, by: 'operator', reason } },
          metadata,
        );
        if (newEvents.length > 0) result.changed += 1;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.refused.push({ linkId, code: error.code });
      }
    }
    return result;
  }
}
